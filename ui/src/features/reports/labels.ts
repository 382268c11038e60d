// The reports' request values in words, through t(), in one place.
import type { TFunction } from "i18next";

import type { MovementKind } from "../../bindings/MovementKind";
import type { SalesGroup } from "../../bindings/SalesGroup";
import type { SalesSort } from "../../bindings/SalesSort";
import type { ValuationGroup } from "../../bindings/ValuationGroup";
import type { ValuationSort } from "../../bindings/ValuationSort";
import type { WasteReason } from "../../bindings/WasteReason";
import type { WasteSource } from "../../bindings/WasteSource";
import { WASTE_REASONS, wasteReasonLabel } from "../clinic/labels";

export const MOVEMENT_KINDS: readonly MovementKind[] = ["adjustment", "writeoff", "supplier_return", "transfer", "count"];

export function movementKindLabel(t: TFunction, kind: MovementKind): string {
  switch (kind) {
    case "adjustment":
      return t("Adjustment");
    case "writeoff":
      return t("Write-off");
    case "supplier_return":
      return t("Return to supplier");
    case "transfer":
      return t("Transfer");
    case "count":
      return t("Count variance");
  }
}

export const WASTE_SOURCES: readonly WasteSource[] = ["clinic", "writeoff", "return"];

export function wasteSourceLabel(t: TFunction, source: WasteSource): string {
  switch (source) {
    case "clinic":
      return t("Clinic");
    case "writeoff":
      return t("Write-off");
    case "return":
      return t("Customer return");
  }
}

/** A waste reason: a clinic reason in words, a write-off's own text as typed, "return" for returns. */
export function wasteReasonText(t: TFunction, reason: string): string {
  if ((WASTE_REASONS as readonly string[]).includes(reason)) return wasteReasonLabel(t, reason as WasteReason);
  if (reason === "return") return t("Returned by a customer");
  return reason;
}

export function valuationGroupLabel(t: TFunction, g: ValuationGroup): string {
  switch (g) {
    case "product":
      return t("Product");
    case "category":
      return t("Category");
    case "store":
      return t("Whole store");
  }
}

export function valuationSortLabel(t: TFunction, s: ValuationSort): string {
  return s === "value" ? t("Value, most first") : t("Name");
}

export function salesGroupLabel(t: TFunction, g: SalesGroup): string {
  switch (g) {
    case "day":
      return t("Day");
    case "product":
      return t("Product");
    case "category":
      return t("Category");
  }
}

export function salesSortLabel(t: TFunction, s: SalesSort): string {
  switch (s) {
    case "revenue":
      return t("Revenue, most first");
    case "margin":
      return t("Margin, most first");
    case "quantity":
      return t("Quantity, most first");
    case "name":
      return t("Name");
  }
}
