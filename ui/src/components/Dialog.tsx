// A modal dialog on React Aria: it opens over the screen in a fixed place
// (it never pushes the content under it around), keeps focus inside while
// open, returns focus where it was on close, and closes on Esc and on its
// close button. Screen readers hear its title.
//
// Render it when it should be open and pass onClose; the parent decides.
import type { ReactNode } from "react";
import { Dialog as AriaDialog, Heading, Modal, ModalOverlay } from "react-aria-components";
import { useTranslation } from "react-i18next";

export function Dialog({
  title,
  onClose,
  children,
  role = "dialog",
  size = "medium",
  dismissOnOutsideClick = false,
  className,
  describedBy,
}: {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  /** "alertdialog" for a confirmation that interrupts. */
  role?: "dialog" | "alertdialog";
  size?: "small" | "medium" | "large";
  /** A click outside closes it too (help, pickers; never a form someone is filling in). */
  dismissOnOutsideClick?: boolean;
  className?: string;
  /** Id of the element that says what the dialog is about (read with the title). */
  describedBy?: string;
}) {
  const { t } = useTranslation();
  return (
    <ModalOverlay
      className="modal-overlay"
      isOpen
      isDismissable={dismissOnOutsideClick}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
    >
      <Modal className={`modal modal-${size}`}>
        <AriaDialog className={["dialog", className].filter(Boolean).join(" ")} role={role} aria-describedby={describedBy}>
          <header className="dialog-head">
            <Heading slot="title" className="dialog-title">
              {title}
            </Heading>
            <button type="button" className="dialog-close" onClick={onClose} aria-label={t("Close")}>
              <span aria-hidden="true">×</span>
            </button>
          </header>
          <div className="dialog-body">{children}</div>
        </AriaDialog>
      </Modal>
    </ModalOverlay>
  );
}
