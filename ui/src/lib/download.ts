// Saving a file the app made (an export): the shell writes it to the
// Downloads folder (or PHARMAPOS_EXPORT_DIR) under the given name, never
// over an existing file, and says where. A webview's own Blob download
// lands wherever WebKitGTK decides (the app's working directory on Linux),
// where a manager never finds it.
import { useMutation } from "@tanstack/react-query";

import { saveExport, type ApiError } from "../api";

/** What to save: the text and the file's name. */
export interface SaveRequest {
  text: string;
  fileName: string;
}

/**
 * Saves files through the shell. `mutateAsync({text, fileName})` resolves to
 * the full path written; a failure is the mutation's `error` (show it).
 */
export function useSaveText() {
  return useMutation<string, ApiError, SaveRequest>({ mutationFn: ({ text, fileName }) => saveExport(fileName, text) });
}
