// The till's dialogs: prompts and warnings open above the sale in a fixed
// place instead of pushing the cart and the Pay button down. React Aria's
// Modal traps focus, hides the page from screen readers while open, closes
// on Esc and gives focus back to where it was. The window-level scanner
// still hears a scan while a dialog is open (it listens in the capture
// phase and swallows the scan's Enter before any button sees it).
//
// Kept in features/till until a shared dialog lands in ui/src/components.
import type { ReactNode } from "react";
import { Dialog, Heading, Modal, ModalOverlay } from "react-aria-components";

export function TillDialog({
  title,
  onClose,
  children,
  className,
  role = "dialog",
  testId,
  data,
  dismissable = false,
}: {
  /** The dialog's heading (also its accessible name). */
  title: ReactNode;
  /** Esc (and a click outside when `dismissable`). */
  onClose: () => void;
  children: ReactNode;
  /** Extra class of the dialog box (e.g. "refusal", "approval"). */
  className?: string;
  /** "alertdialog" for warnings that interrupt (a refused pack). */
  role?: "dialog" | "alertdialog";
  testId?: string;
  /** More data-* attributes of the dialog (for tests and styling). */
  data?: Record<`data-${string}`, string>;
  /** Whether a click outside closes it too (never for forms that hold typed input). */
  dismissable?: boolean;
}) {
  return (
    <ModalOverlay
      isOpen
      isDismissable={dismissable}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      className="till-dialog-overlay"
    >
      <Modal className="till-dialog-modal">
        <Dialog role={role} className={className ? `till-dialog ${className}` : "till-dialog"} data-testid={testId} {...data}>
          <Heading slot="title" className="till-dialog-title">
            {title}
          </Heading>
          {children}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
