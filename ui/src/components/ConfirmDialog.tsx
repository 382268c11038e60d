// The confirmation of a destructive action: it shows first what the action
// will do (the batches and their value, the quantity written off, the user
// deactivated…), then asks. Focus starts on the safe choice; Esc keeps
// things as they are. An error from the action stays in the dialog, by the
// preview, so the user can read it and decide again.
import { useId, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { Dialog } from "./Dialog";
import { ErrorMessage } from "./ErrorMessage";
import { Kbd } from "./Field";

export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busyLabel,
  cancelLabel,
  onConfirm,
  onCancel,
  busy = false,
  error,
  tone = "danger",
  confirmDisabled = false,
  focusCancel = true,
}: {
  title: ReactNode;
  /** The preview: what confirming will do. */
  children: ReactNode;
  confirmLabel: string;
  /** Shown on the confirm button while the action runs. */
  busyLabel?: string;
  cancelLabel?: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  error?: unknown;
  tone?: "danger" | "primary";
  confirmDisabled?: boolean;
  /** Start on the cancel button (false when the preview holds a field to fill in first). */
  focusCancel?: boolean;
}) {
  const { t } = useTranslation();
  const previewId = useId();
  return (
    <Dialog title={title} onClose={onCancel} role="alertdialog" describedBy={previewId}>
      <form
        className="confirm"
        onSubmit={(e) => {
          e.preventDefault();
          // React events bubble through the portal: keep this submit out of any form around the dialog's owner.
          e.stopPropagation();
          if (!busy && !confirmDisabled) onConfirm();
        }}
      >
        <div id={previewId} className="confirm-preview">
          {children}
        </div>
        <ErrorMessage error={error} />
        <div className="form-actions">
          <button type="submit" className={tone} disabled={busy || confirmDisabled}>
            {busy ? (busyLabel ?? t("Working…")) : confirmLabel}
          </button>
          <button type="button" onClick={onCancel} autoFocus={focusCancel}>
            {cancelLabel ?? t("Cancel")} <Kbd>Esc</Kbd>
          </button>
        </div>
      </form>
    </Dialog>
  );
}
