import { useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";

/**
 * After a form comes back refused, the first field marked invalid takes the focus — the keyboard
 * and the screen reader are where the correction is — unless the focus is on a marked field
 * already (conform's forms focus theirs). Forms of every kind go through here; before, only the
 * conform forms did it, and a refused workflow form left the focus on its button.
 */
export function useFocusFirstRefusal() {
  const navigation = useNavigation();
  const submitted = useRef(false);
  useEffect(() => {
    if (navigation.state === "submitting") submitted.current = true;
    else if (navigation.state === "idle" && submitted.current) {
      submitted.current = false;
      const field = document.querySelector<HTMLElement>('main [aria-invalid="true"]');
      const focused = document.activeElement;
      if (field && !(focused instanceof HTMLElement && focused.closest('[aria-invalid="true"]'))) field.focus();
    }
  }, [navigation.state]);
}
