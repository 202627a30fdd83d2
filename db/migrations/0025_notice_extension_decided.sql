-- The decision on an extension, told to the handler, is a kind of its own (the request, told to
-- leaders, stays "extension"): it is resolved when the extended date stops applying.
UPDATE "notifications" SET "kind" = 'extension_decided' WHERE "kind" = 'extension' AND ("message" LIKE '%延期申请已批准%' OR "message" LIKE '%延期申请未获批准%');
