// The words for a purchase order's status, and its badge.
import { useTranslation } from "react-i18next";

import type { PurchaseOrderStatus } from "../../bindings/PurchaseOrderStatus";

export const PO_STATUS_LABEL: Record<PurchaseOrderStatus, string> = {
  draft: "Draft",
  pending_approval: "Waiting for approval",
  submitted: "Submitted",
  confirmed: "Confirmed",
  shipped: "Shipped",
  partial_received: "Partly received",
  received: "Received",
  cancelled: "Cancelled",
};

export function PoStatusBadge({ status }: { status: PurchaseOrderStatus }) {
  const { t } = useTranslation();
  return <span className={`badge status-${status}`}>{t(PO_STATUS_LABEL[status])}</span>;
}
