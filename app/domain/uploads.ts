/** What the original-file upload accepts; the server checks content, this only guides the picker. */
export const ALLOWED_UPLOADS = "PDF、DOCX、PNG、JPEG";
export const UPLOAD_ACCEPT = ".pdf,.docx,.png,.jpg,.jpeg,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,image/png,image/jpeg";
