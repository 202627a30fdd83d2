import type { Config } from "tailwindcss";

export default {
  content: ["./app/**/*.{ts,tsx}"],
  theme: {
    extend: {
      fontFamily: {
        sans: ['"Noto Sans CJK SC"', '"Microsoft YaHei"', '"PingFang SC"', "system-ui", "sans-serif"],
      },
    },
  },
  plugins: [],
} satisfies Config;
