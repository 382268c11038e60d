#!/usr/bin/env bash
# Regenerates docs/reference.md: the reference of the `pharmapos` CLI and of
# every command, with REAL examples.
#
# It builds the CLI, creates a demo database in a temp dir (a pharmacy with
# paracetamol tablets and a med-spa neurotoxin counted in fractional units,
# then a day at the till: shift, scans, carts, approvals, sales, a return, a
# void, a hold, the Z report and the security log),
# runs every command against it with a fixed `--now`, and writes each
# invocation and its actual output into the reference. The command list,
# permissions and summaries come from `pharmapos commands`; the request
# fields and their meanings come from the generated TypeScript bindings in
# ui/src/bindings/ (the engine's doc comments). It fails if a command listed
# by `pharmapos commands` has no example.
#
# Run from the repository root:  scripts/gen-reference.sh
# (PHARMAPOS_BIN=path/to/pharmapos uses a prebuilt CLI instead of building.)
# Not part of the test suite. Ids are UUID v7, so they differ on every run.
# Needs: cargo, jq, python3.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

if [ -n "${PHARMAPOS_BIN-}" ]; then
  BIN=$(realpath "$PHARMAPOS_BIN") # a prebuilt CLI
else
  cargo build -q -p pharmapos-cli
  BIN=$ROOT/target/debug/pharmapos
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/ex" "$WORK/notes"
NOW=2026-01-15T09:00:00Z
DBNAME=demo.db
OUT=$ROOT/docs/reference.md

# --- helpers -----------------------------------------------------------------

cat > "$WORK/helper.py" <<'PY'
import json, re, sys, pathlib

def shorten(text, keep):
    """Prints JSON; a top-level array (or an array under `path`) longer than
    `keep` is cut after `keep` elements with a '…' line."""
    v = json.loads(text)
    if isinstance(v, list) and len(v) > keep:
        body = json.dumps(v[:keep], indent=2, ensure_ascii=False)
        print(body[:-1].rstrip() + ",\n  …\n]")
    else:
        print(text.rstrip("\n"))

def only_lines(text, keep):
    """Prints JSON whose `lines` array shows only the elements at the
    0-based indexes in `keep` ("1", "0,2"; "-" for none): each run of the
    others is one '…' line."""
    v = json.loads(text)
    wanted = set() if keep == "-" else {int(k) for k in keep.split(",")}
    out, cut = [], False
    for i, line in enumerate(v["lines"]):
        if i in wanted:
            out.append(line)
            cut = False
        elif not cut:
            out.append("\u2026ELIDED")
            cut = True
    v["lines"] = out
    body = json.dumps(v, indent=2, ensure_ascii=False)
    print(re.sub(r'"\u2026ELIDED",?', "\u2026", body))

def ts_table(name):
    """A markdown table of a generated TypeScript request type's fields."""
    p = pathlib.Path("ui/src/bindings") / f"{name}.ts"
    if not p.exists():
        return "_No request type found._\n"
    src = p.read_text()
    m = re.search(r"export type \w+ = (.*);\s*$", src, re.S)
    body = m.group(1).strip()
    if body == "Record<string, never>":
        return "No request fields: send `{}` (or nothing).\n"
    if not body.startswith("{"):
        values = [v.strip().strip('"') for v in body.split("|")]
        return "One of: " + ", ".join(f"`{v}`" for v in values) + ".\n"
    rows = []
    for doc, field, opt, typ in re.findall(
        r"/\*\*(.*?)\*/\s*(\w+)(\??):\s*(.*?),\s*(?=/\*\*|\}$)", body.rstrip(" ") , re.S):
        doc = " ".join(l.strip().lstrip("*").strip() for l in doc.splitlines()).strip()
        typ = typ.strip().replace("|", "\\|")
        rows.append(f"| `{field}` | `{typ}` | {'no' if opt else '**yes**'} | {doc} |")
    if not rows:
        return "No request fields: send `{}` (or nothing).\n"
    return "| field | type | required | meaning |\n|---|---|---|---|\n" + "\n".join(rows) + "\n"

def commands(text):
    """Parses `pharmapos commands` into JSON lines: name, permission, writes, summary."""
    out = []
    lines = text.splitlines()
    for i, l in enumerate(lines):
        m = re.match(r"^(\w+)  \[(\w+)(, writes)?\]$", l)
        if m:
            out.append({"name": m.group(1), "permission": m.group(2),
                        "writes": bool(m.group(3)), "summary": lines[i + 1].strip(),
                        "response": lines[i + 3].split("response:", 1)[1].strip()})
    print(json.dumps(out))

def uuid7():
    """A UUID v7, as a till mints a sale id when "pay" is pressed."""
    import os, time, uuid
    ms = time.time_ns() // 1_000_000
    b = bytearray(ms.to_bytes(6, "big") + os.urandom(10))
    b[6] = 0x70 | (b[6] & 0x0F)
    b[8] = 0x80 | (b[8] & 0x3F)
    print(uuid.UUID(bytes=bytes(b)))

def cash(total, other, step):
    """Cash handed over: what is left of `total` after `other`, rounded up
    to a multiple of `step` (the notes a customer hands over)."""
    from decimal import Decimal, ROUND_CEILING
    rest = Decimal(total) - Decimal(other)
    print((rest / Decimal(step)).to_integral_value(ROUND_CEILING) * Decimal(step))

if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "shorten":
        shorten(sys.stdin.read(), int(sys.argv[2]))
    elif cmd == "only_lines":
        only_lines(sys.stdin.read(), sys.argv[2])
    elif cmd == "table":
        sys.stdout.write(ts_table(sys.argv[2]))
    elif cmd == "commands":
        commands(sys.stdin.read())
    elif cmd == "uuid7":
        uuid7()
    elif cmd == "cash":
        cash(sys.argv[2], sys.argv[3], sys.argv[4])
PY
helper() { python3 "$WORK/helper.py" "$@"; }

# call [-e] [-n NOW] [-s KEEP] [-l LINES] [-t TARGET] USER COMMAND [JSON]
# Runs `pharmapos call` in the demo dir, appends the invocation and its real
# output (stdout, or stderr and the exit status) to the example file of
# TARGET (default: COMMAND), and leaves stdout in $WORK/last.json.
# -s KEEP cuts a top-level array after KEEP elements; -l LINES shows only
# those elements of a cart's or receipt's `lines` (0-based, "0,2"; "-" none).
# A failure stops the script unless TARGET starts with `_` or -e is given;
# with -e (an example of a refusal) the command must fail.
call() {
  local now=$NOW keep=0 lines="" target="" expect_fail=0 OPTIND=1
  while getopts "en:s:l:t:" o; do
    case $o in
      e) expect_fail=1 ;; n) now=$OPTARG ;; s) keep=$OPTARG ;; l) lines=$OPTARG ;; t) target=$OPTARG ;; *) exit 2 ;;
    esac
  done
  shift $((OPTIND - 1))
  local user=$1 cmd=$2 json=${3-}
  target=${target:-$cmd}
  local shown="pharmapos --db $DBNAME --user $user --now $now call $cmd"
  [ -n "$json" ] && shown+=" '$json'"
  local rc=0
  (cd "$WORK" && "$BIN" --db "$DBNAME" --user "$user" --now "$now" call "$cmd" ${json:+"$json"}) \
    > "$WORK/last.json" 2> "$WORK/last.err" || rc=$?
  {
    printf '```console\n$ %s\n' "$shown"
    if [ "$rc" -eq 0 ]; then
      if [ -n "$lines" ]; then helper only_lines "$lines" < "$WORK/last.json"
      elif [ "$keep" -gt 0 ]; then helper shorten "$keep" < "$WORK/last.json"
      else cat "$WORK/last.json"; fi
    else
      cat "$WORK/last.err"
      printf '$ echo $?\n%s\n' "$rc"
    fi
    printf '```\n\n'
  } >> "$WORK/ex/$target.md"
  if [ "$expect_fail" -eq 1 ]; then
    if [ "$rc" -eq 0 ]; then
      echo "$cmd was expected to fail but succeeded: $(cat "$WORK/last.json")" >&2
      exit 1
    fi
  elif [ "$rc" -ne 0 ] && [[ "$target" != _* ]]; then
    echo "unexpected failure of $cmd: $(cat "$WORK/last.err")" >&2
    exit 1
  fi
}
# j FILTER: a value from the last output.
j() { jq -r "$1" "$WORK/last.json"; }
# say TARGET: prose before the next example of TARGET (from stdin).
say() { cat >> "$WORK/ex/$1.md"; }
# note COMMAND: remarks shown under a command's field table (from stdin).
note() { cat >> "$WORK/notes/$1.md"; }
# cli TARGET ARGS...: a non-`call` invocation, shown with its output.
cli() {
  local target=$1; shift
  local rc=0
  (cd "$WORK" && printf '%s' "${STDIN-}" | "$BIN" "$@") > "$WORK/last.json" 2> "$WORK/last.err" || rc=$?
  {
    printf '```console\n$ %spharmapos' "${STDIN:+echo '$STDIN' | }"
    local a
    for a in "$@"; do
      if [[ "$a" =~ [^A-Za-z0-9_./:=@-] ]]; then printf " '%s'" "$a"; else printf ' %s' "$a"; fi
    done
    printf '\n'
    cat "$WORK/last.json" "$WORK/last.err"
    [ "$rc" -ne 0 ] && printf '$ echo $?\n%s\n' "$rc"
    printf '```\n\n'
  } >> "$WORK/ex/$target.md"
}

# --- the demo ----------------------------------------------------------------

cli _init --db $DBNAME --now $NOW init --store-name "Lekki Pharmacy & Med Spa" --store-code LEK-01 \
  --timezone Africa/Lagos --currency NGN --admin ada --pin 1234
STORE=$(j .store_id)

# People and stores.
call ada create_user '{"name":"musa","role":"manager","pin":"2468"}'
MUSA=$(j .id)
call ada create_user '{"name":"chidi","role":"cashier","pin":"1357"}'
CHIDI=$(j .id)
call -t _hidden ada create_user '{"name":"ngozi","role":"practitioner","pin":"8642"}'
call -t _hidden ada create_user '{"name":"temp","role":"cashier"}'
TEMP=$(j .id)
call ada update_user "{\"id\":\"$TEMP\",\"is_active\":false}"
call ada list_users '{"include_inactive":true}'
call ada create_store '{"name":"Ikeja Branch","code":"IKJ-01","timezone":"Africa/Lagos","address":"12 Allen Avenue, Ikeja"}'
IKEJA=$(j .id)
call ada update_store "{\"id\":\"$STORE\",\"phone\":\"+234 800 000 0000\",\"adjustment_approval_units\":\"10\",\"adjustment_approval_value\":\"5000\"}"
call ada list_stores

# Catalogue.
call ada create_category '{"name":"Analgesics","description":"Pain relief"}'
ANALG=$(j .id)
call ada create_category "{\"name\":\"Oral\",\"parent_id\":\"$ANALG\"}"
ORAL=$(j .id)
call -t _hidden ada create_category '{"name":"Aesthetics"}'
AEST=$(j .id)
call ada list_categories
call ada create_supplier '{"name":"Emzor Distribution","contact_person":"Bola Ade","email":"orders@emzor.example","phone":"+234 1 000 0000","payment_terms":"Net 30","is_preferred":true,"categories":["medicine"],"average_lead_time_days":3}'
EMZOR=$(j .id)
call -t _hidden ada create_supplier '{"name":"Glow Aesthetics Supply","payment_terms":"COD","categories":["neurotoxin","filler"]}'
GLOW=$(j .id)
call ada update_supplier "{\"id\":\"$GLOW\",\"quality_rating\":\"4.5\",\"on_time_delivery_rate\":\"97.5\"}"
call ada get_supplier "{\"id\":\"$EMZOR\"}"
call ada list_suppliers
call ada create_product "{\"sku\":\"PARA-500\",\"name\":\"Paracetamol 500mg tablets\",\"generic_name\":\"paracetamol\",\"brand\":\"Emzor\",\"category\":\"medicine\",\"category_id\":\"$ORAL\",\"nafdac_number\":\"A4-1234\",\"barcodes\":[\"6151100012345\"],\"unit\":\"tablet\",\"cost_price\":\"20\",\"selling_price\":\"50\",\"tax_rate\":\"7.5\",\"thresholds\":{\"reorder_point\":\"100\",\"min_level\":\"50\",\"max_level\":\"2000\"}}"
PARA=$(j .id)
call ada create_product "{\"sku\":\"BTX-100\",\"name\":\"Botulinum toxin type A 100U vial\",\"category\":\"neurotoxin\",\"category_id\":\"$AEST\",\"unit\":\"unit\",\"allow_fractional\":true,\"prescription_only\":true,\"cost_price\":\"900\",\"selling_price\":\"2500\",\"injectable\":{\"concentration\":\"100 units/vial\",\"dilution_ratio\":\"2.5 ml saline\",\"reconstitution_required\":true,\"units_per_vial\":\"100\",\"stability_hours\":24},\"storage\":{\"temperature_min_c\":\"2\",\"temperature_max_c\":\"8\",\"refrigerated\":true}}"
BTX=$(j .id)
call -t _hidden ada create_product '{"sku":"VITC-1000","name":"Vitamin C 1000mg tablets","category":"supplement","unit":"tablet","cost_price":"15","selling_price":"40"}'
VITC=$(j .id)
call -t _hidden ada create_product '{"sku":"IBU-400","name":"Ibuprofen 400mg tablets","category":"medicine","unit":"tablet","cost_price":"25","selling_price":"60"}'
IBU=$(j .id)
call ada update_product "{\"id\":\"$PARA\",\"selling_price\":\"55\",\"barcodes\":[\"6151100012345\",\"6151100012357\"]}"
call ada get_product "{\"id\":\"$BTX\"}"
call -t _hidden ada create_product '{"sku":"OLD-01","name":"Discontinued cough syrup","status":"discontinued"}'
OLD=$(j .id)
call ada delete_product "{\"id\":\"$OLD\"}"

# Receiving.
call musa receive_stock "{\"product_id\":\"$PARA\",\"batch_number\":\"PCM-2401\",\"quantity\":200,\"expiry_date\":\"2026-02-10\",\"supplier_id\":\"$EMZOR\",\"reference_number\":\"INV-1001\",\"location\":\"Shelf A3\"}"
PCM1=$(j .batch_id)
call -t _hidden musa receive_stock "{\"product_id\":\"$PARA\",\"batch_number\":\"PCM-2405\",\"quantity\":\"500\",\"expiry_date\":\"2027-05-31\",\"manufacture_date\":\"2025-06-01\",\"cost_price\":\"18.5\",\"supplier_id\":\"$EMZOR\",\"reference_number\":\"INV-1001\",\"location\":\"Shelf A3\"}"
PCM2=$(j .batch_id)
say receive_stock <<'EOF'
The same batch number with the same expiry tops the batch up (the unit cost becomes the weighted average):

EOF
call musa receive_stock "{\"product_id\":\"$PARA\",\"batch_number\":\"PCM-2405\",\"quantity\":\"100\",\"expiry_date\":\"2027-05-31\",\"cost_price\":\"21\",\"supplier_id\":\"$EMZOR\",\"reference_number\":\"INV-1002\"}"
call -t _hidden musa receive_stock "{\"product_id\":\"$PARA\",\"batch_number\":\"PCM-2319\",\"quantity\":\"40\",\"expiry_date\":\"2026-01-20\",\"supplier_id\":\"$EMZOR\"}"
PCM0=$(j .batch_id)
say receive_stock <<'EOF'
A med-spa neurotoxin, received in units (the product allows fractions):

EOF
call musa receive_stock "{\"product_id\":\"$BTX\",\"batch_number\":\"BTX-A1\",\"quantity\":\"200\",\"expiry_date\":\"2026-06-30\",\"supplier_id\":\"$GLOW\",\"location\":\"Fridge 1\"}"
BTX1=$(j .batch_id)
call -t _hidden musa receive_stock "{\"product_id\":\"$BTX\",\"batch_number\":\"BTX-A2\",\"quantity\":\"100\",\"expiry_date\":\"2026-11-30\",\"supplier_id\":\"$GLOW\",\"location\":\"Fridge 1\"}"
BTX2=$(j .batch_id)
call -t _hidden musa receive_stock "{\"product_id\":\"$VITC\",\"batch_number\":\"VC-01\",\"quantity\":\"10\",\"expiry_date\":\"2026-09-30\",\"supplier_id\":\"$EMZOR\"}"
VC1=$(j .batch_id)
call -t _hidden musa receive_stock "{\"product_id\":\"$IBU\",\"batch_number\":\"IBU-2402\",\"quantity\":\"20\",\"expiry_date\":\"2027-02-28\",\"supplier_id\":\"$EMZOR\"}"
IBU1=$(j .batch_id)

# Views.
call ada search_products '{"query":"para"}'
call -t search_products ada search_products '{"query":"6151100012357"}'
call -s 3 chidi get_store_inventory
call chidi get_batch "{\"batch_id\":\"$PCM1\"}"
call chidi get_product_stock "{\"product_id\":\"$PARA\"}"
call chidi get_expiring_batches '{"days":30}'

# Sales.
say allocate_stock_for_sale <<'EOF'
100 tablets: FEFO empties PCM-2319 (40, expiring 2026-01-20) and takes the rest from PCM-2401 (expiring 2026-02-10); PCM-2405 (2027) is untouched:

EOF
call chidi allocate_stock_for_sale "{\"product_id\":\"$PARA\",\"quantity\":100,\"reference_id\":\"SALE-0001\"}"
say allocate_stock_for_sale <<'EOF'
A neurotoxin treatment dose of 12.5 units, by a practitioner:

EOF
call ngozi allocate_stock_for_sale "{\"product_id\":\"$BTX\",\"quantity\":\"12.5\",\"reference_id\":\"TX-0001\"}"
say allocate_stock_for_sale <<'EOF'
A shortage with `allow_partial` left at its default (true): what there is is allocated, the shortage is reported and a backorder suggested:

EOF
call chidi allocate_stock_for_sale "{\"product_id\":\"$VITC\",\"quantity\":15}"

# Backorders.
call chidi create_backorder "{\"product_id\":\"$VITC\",\"quantity\":5,\"customer_name\":\"Mrs Okafor\",\"customer_phone\":\"+234 803 000 0000\",\"notes\":\"call when in\"}"
BO1=$(j .backorder_id)
call -t _hidden chidi create_backorder "{\"product_id\":\"$VITC\",\"quantity\":2,\"customer_name\":\"Mr Bello\"}"
BO2=$(j .backorder_id)
call chidi list_backorders
say receive_stock <<'EOF'
When stock arrives for a product with open backorders, the result counts them (`pending_backorders`):

EOF
call musa receive_stock "{\"product_id\":\"$VITC\",\"batch_number\":\"VC-02\",\"quantity\":\"24\",\"expiry_date\":\"2026-12-31\",\"supplier_id\":\"$EMZOR\"}"
call chidi fulfill_backorder "{\"backorder_id\":\"$BO1\",\"fulfilled_quantity\":3}"
say fulfill_backorder <<'EOF'
Without `fulfilled_quantity`, everything still owed is handed over:

EOF
call chidi fulfill_backorder "{\"backorder_id\":\"$BO1\"}"
call chidi cancel_backorder "{\"backorder_id\":\"$BO2\"}"

# Reservations.
call chidi reserve_stock "{\"product_batch_id\":\"$PCM2\",\"quantity\":10,\"reason\":\"pending_sale\",\"reference_id\":\"CART-42\",\"ttl_minutes\":30}"
RES1=$(j .reservation_id)
call -t _hidden chidi reserve_stock "{\"product_batch_id\":\"$PCM2\",\"quantity\":5,\"reason\":\"pending_sale\",\"reference_id\":\"CART-43\"}"
RES2=$(j .reservation_id)
call -t _hidden chidi reserve_stock "{\"product_batch_id\":\"$BTX2\",\"quantity\":\"25\",\"reason\":\"hold\",\"reference_id\":\"PATIENT-7\",\"ttl_minutes\":15}"
call chidi list_reservations
call chidi confirm_reservation "{\"reservation_id\":\"$RES1\",\"reference_id\":\"SALE-0002\"}"
call chidi release_reservation "{\"reservation_id\":\"$RES2\"}"
say release_expired_reservations <<'EOF'
An hour later (note `--now`), the 15-minute hold on BTX-A2 has lapsed:

EOF
call -n 2026-01-15T10:00:00Z chidi release_expired_reservations
call -n 2026-01-15T10:00:00Z -t list_reservations chidi list_reservations '{"status":"expired"}'

# Adjustments.
say adjust_stock <<'EOF'
A cashier's small correction (within the store's threshold of 10 units and 5,000 in value) applies at once:

EOF
call chidi adjust_stock "{\"batch_id\":\"$PCM2\",\"quantity_change\":-2,\"reason\":\"damage\",\"notes\":\"dropped blister\"}"
say adjust_stock <<'EOF'
Above the threshold it waits for a manager (`status: pending`, stock unchanged):

EOF
call chidi adjust_stock "{\"batch_id\":\"$PCM2\",\"quantity_change\":-30,\"reason\":\"loss\",\"notes\":\"count short after stock-take\"}"
ADJ1=$(j .id)
call -t _hidden chidi adjust_stock "{\"batch_id\":\"$BTX1\",\"quantity_change\":\"20\",\"reason\":\"found\"}"
ADJ2=$(j .id)
say adjust_stock <<'EOF'
A manager approving at the till with name and PIN applies it at once:

EOF
call chidi adjust_stock "{\"batch_id\":\"$PCM2\",\"quantity_change\":\"12\",\"reason\":\"correction\",\"approver_name\":\"musa\",\"approver_pin\":\"2468\"}"
call musa list_adjustments '{"status":"pending"}'
call musa approve_adjustment "{\"adjustment_id\":\"$ADJ1\",\"notes\":\"confirmed by recount\"}"
call musa reject_adjustment "{\"adjustment_id\":\"$ADJ2\",\"notes\":\"no record of extra vials\"}"
call musa writeoff_batch "{\"batch_id\":\"$IBU1\",\"reason\":\"damage\",\"notes\":\"water damage in store room\"}"

# Batch status and expiry.
call musa set_batch_status "{\"batch_id\":\"$BTX2\",\"status\":\"quarantine\",\"reason\":\"cold-chain excursion\"}"
say set_batch_status <<'EOF'
Releasing it from quarantine:

EOF
call musa set_batch_status "{\"batch_id\":\"$BTX2\",\"status\":\"available\",\"reason\":\"temperature log reviewed\"}"
say set_batch_status <<'EOF'
A recall with its class:

EOF
call musa set_batch_status "{\"batch_id\":\"$VC1\",\"status\":\"recalled\",\"reason\":\"NAFDAC recall notice 2026/014\",\"recall_class\":\"II\"}"
call -t _hidden musa receive_stock "{\"product_id\":\"$PARA\",\"batch_number\":\"PCM-2318\",\"quantity\":\"30\",\"expiry_date\":\"2026-01-19\",\"supplier_id\":\"$EMZOR\"}"
PCM18=$(j .batch_id)
call musa expire_batches_within_days '{"days":7}'
say allocate_stock_for_sale <<'EOF'
After PCM-2318 was marked expired (see `expire_batches_within_days`), a sale passes over it and reports why in `skipped`:

EOF
call chidi allocate_stock_for_sale "{\"product_id\":\"$PARA\",\"quantity\":5}"
call chidi get_expired_batches
say get_expired_batches <<'EOF'
A month later the date alone makes PCM-2401 expired too (it still holds stock, but `available` is 0):

EOF
call -s 3 -n 2026-02-15T09:00:00Z chidi get_expired_batches
call -t get_product_stock chidi get_product_stock "{\"product_id\":\"$PARA\"}"

# Audit.
call ada get_audit_trail "{\"batch_id\":\"$PCM2\",\"oldest_first\":true,\"limit\":3}"
call -s 2 ada get_audit_trail '{"change_type":"allocated"}'
call ada verify
STDIN="{\"product_id\":\"$BTX\"}" cli _stdin --db $DBNAME --user chidi --now $NOW call get_product_stock -
cli _verify --db $DBNAME verify
cli _backup --db $DBNAME backup demo-backup.db

# Errors.
say _errors <<'EOF'
#### `insufficient_stock`: all-or-nothing sale (`allow_partial: false`) when there is not enough

EOF
call -t _errors chidi allocate_stock_for_sale "{\"product_id\":\"$VITC\",\"quantity\":500,\"allow_partial\":false}"
say _errors <<'EOF'
#### `expired_batch`: receiving a batch whose expiry date is already past (the store's today is 2026-01-15)

EOF
call -t _errors musa receive_stock "{\"product_id\":\"$PARA\",\"batch_number\":\"PCM-2312\",\"quantity\":50,\"expiry_date\":\"2026-01-10\",\"supplier_id\":\"$EMZOR\"}"
say _errors <<'EOF'
#### `forbidden`: a cashier creating a product

EOF
call -t _errors chidi create_product '{"sku":"NEW-1","name":"Something new"}'
say _errors <<'EOF'
#### `invalid_input`: half a tablet (the product does not allow fractions), and an unknown field

EOF
call -t _errors chidi allocate_stock_for_sale "{\"product_id\":\"$PARA\",\"quantity\":\"0.5\"}"
call -t _errors ada create_product '{"sku":"NEW-1","name":"Something new","colour":"red"}'
say _errors <<'EOF'
#### `batch_unavailable`: reserving from a recalled batch

EOF
call -t _errors chidi reserve_stock "{\"product_batch_id\":\"$VC1\",\"quantity\":1,\"reason\":\"pending_sale\"}"
say _errors <<'EOF'
#### `conflict`: a SKU that is taken; a batch number received again with another expiry

EOF
call -t _errors ada create_product '{"sku":"PARA-500","name":"Duplicate"}'
call -t _errors musa receive_stock "{\"product_id\":\"$PARA\",\"batch_number\":\"PCM-2405\",\"quantity\":10,\"expiry_date\":\"2027-06-30\",\"supplier_id\":\"$EMZOR\"}"
say _errors <<'EOF'
#### `not_found`, `invalid_state`, `unauthenticated`

EOF
call -t _errors chidi get_batch '{"batch_id":"01900000-0000-7000-8000-000000000000"}'
call -t _errors musa approve_adjustment "{\"adjustment_id\":\"$ADJ1\"}"
call -t _errors nobody list_stores
say _errors <<'EOF'
#### `approval_required` again: a wrong manager PIN at the till ("approval refused"; the cashier stays signed in)

EOF
call -t _errors chidi adjust_stock "{\"batch_id\":\"$PCM2\",\"quantity_change\":-50,\"reason\":\"loss\",\"approver_name\":\"musa\",\"approver_pin\":\"0000\"}"

# The till (docs/till.md): chidi sells at till TILL-1, musa approves what is
# beyond a cashier's limits. It runs after the inventory errors so that the
# security log at the end shows both wrong PINs; its own refusals are added
# to the errors section as they happen.
call chidi get_till_settings
say update_till_settings <<'EOF'
musa rounds totals to 5 naira, takes bank transfers too, sets the receipt's header and footer and keeps holds for 30 minutes:

EOF
call musa update_till_settings '{"rounding_increment":"5","tenders":["cash","card","transfer"],"receipt_header":"Admiralty Way, Lekki Phase 1","receipt_footer":"Thank you. Keep all medicines out of the reach of children.","hold_ttl_minutes":30}'

say scan_barcode <<'EOF'
The paracetamol box's EAN-13, a store barcode matched as it is: the symbol names no batch, so FEFO decides at completion:

EOF
call chidi scan_barcode '{"code":"6151100012345"}'
say scan_barcode <<'EOF'
A GS1 DataMatrix in its bracket form (GTIN, expiry, batch) naming batch PCM-2405, which this store holds: sell from that batch (`use_batch`; pass `batch.batch_id` to `add_cart_line`). The GTIN `06151100012357` is matched through its 13-digit form, the product's second barcode:

EOF
call chidi scan_barcode '{"code":"(01)06151100012357(17)270531(10)PCM-2405"}'
SCANNED=$(j .batch.batch_id)
say scan_barcode <<'EOF'
The same pack as a scanner sends it: the symbology prefix `]d2`, and ASCII 29 (the FNC1 separator, `\u001d` in JSON) ending the variable-length batch number before the next element:

EOF
call chidi scan_barcode '{"code":"]d2010615110001235710PCM-2405\u001d17270531"}'
say scan_barcode <<'EOF'
A pack of PCM-2318, which `expire_batches_within_days` marked expired: refused, with a sentence for the cashier. A refusal is an answer (`decision: refused`), not an error:

EOF
call chidi scan_barcode '{"code":"(01)06151100012357(17)260119(10)PCM-2318"}'
say _errors <<'EOF'
At the till (see [The till](#the-till)), in the order of the demo:

#### `invalid_input`: a GS1 code whose GTIN has a wrong check digit

The demo box's own EAN-13, `6151100012345`, is a store label (its check digit would be 0): it is found as it is when scanned alone, but inside a GS1 element string the GTIN must be valid:

EOF
call -t _errors chidi scan_barcode '{"code":"(01)06151100012345(10)PCM-2405"}'

call chidi open_shift '{"terminal_id":"TILL-1","opening_float":"20000"}'
SHIFT=$(j .shift_id)
say _errors <<'EOF'
#### `conflict`: a second shift on the same till

EOF
call -t _errors musa open_shift '{"terminal_id":"TILL-1","opening_float":"5000"}'

say open_cart <<'EOF'
chidi's first cart on TILL-1. Until it is sold, held or cancelled, asking again returns this same cart, lines and all:

EOF
call chidi open_cart '{"terminal_id":"TILL-1"}'
CART1=$(j .cart_id)
say add_cart_line <<'EOF'
20 tablets from the EAN scan (no batch: FEFO at completion):

EOF
call chidi add_cart_line "{\"cart_id\":\"$CART1\",\"product_id\":\"$PARA\",\"quantity\":20}"
LINE1=$(j '.lines[0].line_id')
say add_cart_line <<'EOF'
10 tablets from the DataMatrix scan, pinned to the scanned batch PCM-2405 (from here on, cart views show only the lines an example changes; the others are `…`):

EOF
call -l 1 chidi add_cart_line "{\"cart_id\":\"$CART1\",\"product_id\":\"$PARA\",\"quantity\":10,\"batch_id\":\"$SCANNED\"}"
LINE2=$(j '.lines[1].line_id')
say add_cart_line <<'EOF'
2 vitamin C tablets (tax rate 0):

EOF
call -l 2 chidi add_cart_line "{\"cart_id\":\"$CART1\",\"product_id\":\"$VITC\",\"quantity\":2}"
LINE3=$(j '.lines[2].line_id')
say add_cart_line <<'EOF'
Ibuprofen, whose only batch was written off: the line is added but flagged `short` (`available` 0), so the till can say so before payment:

EOF
call -l 3 chidi add_cart_line "{\"cart_id\":\"$CART1\",\"product_id\":\"$IBU\"}"
LINE4=$(j '.lines[3].line_id')
say _errors <<'EOF'
#### `invalid_input`: a prescription-only product without its prescription reference

EOF
call -t _errors chidi add_cart_line "{\"cart_id\":\"$CART1\",\"product_id\":\"$BTX\",\"quantity\":\"12.5\"}"
say _errors <<'EOF'
#### `expired_batch`: adding the pack the scanner refused, pinned to its expired batch

EOF
call -t _errors chidi add_cart_line "{\"cart_id\":\"$CART1\",\"product_id\":\"$PARA\",\"batch_id\":\"$PCM18\"}"
say remove_cart_line <<'EOF'
The ibuprofen line goes (the three other lines are unchanged; see `get_cart` for a whole cart):

EOF
call -l - chidi remove_cart_line "{\"cart_id\":\"$CART1\",\"line_id\":\"$LINE4\"}"
say update_cart_line <<'EOF'
The customer wants 30 tablets on the first line:

EOF
call -l 0 chidi update_cart_line "{\"cart_id\":\"$CART1\",\"line_id\":\"$LINE1\",\"quantity\":30}"
say update_cart_line <<'EOF'
The cashier pins that line by hand to PCM-2401 (the strip in the customer's hand), then lets FEFO choose again:

EOF
call -l 0 chidi update_cart_line "{\"cart_id\":\"$CART1\",\"line_id\":\"$LINE1\",\"batch_id\":\"$PCM1\"}"
call -l 0 chidi update_cart_line "{\"cart_id\":\"$CART1\",\"line_id\":\"$LINE1\",\"use_fefo\":true}"
say _errors <<'EOF'
#### `insufficient_stock`: pinning a cart line to a batch that cannot fill it

EOF
call -t _errors chidi update_cart_line "{\"cart_id\":\"$CART1\",\"line_id\":\"$LINE1\",\"quantity\":200,\"batch_id\":\"$PCM1\"}"
call chidi get_cart "{\"cart_id\":\"$CART1\"}"

say set_line_discount <<'EOF'
5 % off the first line, within the cashier's limit (10 %): no approval needed:

EOF
call -l 0 chidi set_line_discount "{\"cart_id\":\"$CART1\",\"line_id\":\"$LINE1\",\"discount\":{\"kind\":\"percent\",\"value\":\"5\"}}"
say _errors <<'EOF'
#### `approval_required`: a cashier's 20 % line discount (the limit is 10 %) without a manager, then with a wrong manager PIN ("approval refused")

The wrong PIN is also written to the security log (see `list_security_log`) and counts towards musa's lockout.

EOF
call -t _errors chidi set_line_discount "{\"cart_id\":\"$CART1\",\"line_id\":\"$LINE2\",\"discount\":{\"kind\":\"percent\",\"value\":\"20\"}}"
call -t _errors chidi set_line_discount "{\"cart_id\":\"$CART1\",\"line_id\":\"$LINE2\",\"discount\":{\"kind\":\"percent\",\"value\":\"20\"},\"approver_name\":\"musa\",\"approver_pin\":\"2486\"}"
say set_line_discount <<'EOF'
20 % off the second line is above the limit: musa approves at the till with his name and PIN (`discount_approved_by`):

EOF
call -l 1 chidi set_line_discount "{\"cart_id\":\"$CART1\",\"line_id\":\"$LINE2\",\"discount\":{\"kind\":\"percent\",\"value\":\"20\"},\"approver_name\":\"musa\",\"approver_pin\":\"2468\"}"
say override_line_price <<'EOF'
Vitamin C at 35 instead of 40 (a price override always needs a manager; `price_overridden_by`):

EOF
call -l 2 chidi override_line_price "{\"cart_id\":\"$CART1\",\"line_id\":\"$LINE3\",\"unit_price\":\"35\",\"approver_name\":\"musa\",\"approver_pin\":\"2468\"}"
say set_cart_discount <<'EOF'
100 off the whole cart (well within 10 % of it), shared across the lines in proportion (`cart_discount` per line):

EOF
call chidi set_cart_discount "{\"cart_id\":\"$CART1\",\"discount\":{\"kind\":\"amount\",\"value\":\"100\"}}"
TOTAL1=$(j .totals.total)
SALE1=$(helper uuid7)
REST1=$(python3 -c "from decimal import Decimal as D; print(D('$TOTAL1') - 1000)")
CASH1=$(helper cash "$TOTAL1" 1000 500)
say complete_sale <<EOF
A split payment of the ${TOTAL1} due: 1000 by card (with the slip's reference) and ${CASH1} in cash for the remaining ${REST1}; the difference comes back as \`change\`. \`sale_id\` is minted by the till when "pay" is pressed:

EOF
call chidi complete_sale "{\"sale_id\":\"$SALE1\",\"cart_id\":\"$CART1\",\"payments\":[{\"tender\":\"card\",\"amount\":\"1000\",\"reference\":\"POS-558201\"},{\"tender\":\"cash\",\"amount\":\"$CASH1\"}]}"
SALE1_NO=$(j .sale_number)
S1L1=$(j '.lines[0].sale_line_id')
S1L2=$(j '.lines[1].sale_line_id')
S1L3=$(j '.lines[2].sale_line_id')
say get_receipt <<'EOF'
A reprint is the stored sale read back, identical to what `complete_sale` answered; this one was taken after the return shown under `return_items`, so `returned_quantity` shows it:

EOF

# Hold and resume.
call -t _hidden chidi open_cart '{"terminal_id":"TILL-1"}'
CART2=$(j .cart_id)
call -t _hidden chidi add_cart_line "{\"cart_id\":\"$CART2\",\"product_id\":\"$PARA\",\"quantity\":10}"
say hold_cart <<'EOF'
Mrs Okafor steps out to the bank: her cart is put aside and its stock reserved (`holds`, lifetime 30 minutes from the settings):

EOF
call chidi hold_cart "{\"cart_id\":\"$CART2\",\"customer_name\":\"Mrs Okafor\",\"note\":\"back from the bank\"}"
call chidi list_held_carts
say cancel_cart <<'EOF'
Meanwhile a walk-in customer changes their mind:

EOF
call -t _hidden chidi open_cart '{"terminal_id":"TILL-1"}'
CART3=$(j .cart_id)
call -t _hidden chidi add_cart_line "{\"cart_id\":\"$CART3\",\"product_id\":\"$VITC\"}"
call chidi cancel_cart "{\"cart_id\":\"$CART3\"}"
say resume_cart <<'EOF'
Mrs Okafor is back; her cart returns to TILL-1 with its holds:

EOF
call chidi resume_cart "{\"cart_id\":\"$CART2\",\"terminal_id\":\"TILL-1\"}"
TOTAL2=$(j .totals.total)
say complete_sale <<'EOF'
The resumed cart, paid by bank transfer (the holds are confirmed: `confirm_reserve` events):

EOF
call chidi complete_sale "{\"sale_id\":\"$(helper uuid7)\",\"cart_id\":\"$CART2\",\"payments\":[{\"tender\":\"transfer\",\"amount\":\"$TOTAL2\",\"reference\":\"TRF-0115-7731\"}]}"

# A sale rung up twice, voided by the manager.
call -t _hidden chidi open_cart '{"terminal_id":"TILL-1"}'
CART4=$(j .cart_id)
call -t _hidden chidi add_cart_line "{\"cart_id\":\"$CART4\",\"product_id\":\"$PARA\",\"quantity\":10}"
SALE4=$(helper uuid7)
call -t _hidden chidi complete_sale "{\"sale_id\":\"$SALE4\",\"cart_id\":\"$CART4\",\"payments\":[{\"tender\":\"cash\",\"amount\":\"1000\"}]}"
call chidi list_sales '{"terminal_id":"TILL-1"}'
say void_sale <<'EOF'
The last sale was rung up twice: musa voids it (a cashier would send `approver_name` and `approver_pin`). Its 10 tablets go back onto the batches they came from:

EOF
call musa void_sale "{\"sale_id\":\"$SALE4\",\"reason\":\"rung up twice\"}"

# A return against the first sale.
say find_sale <<'EOF'
The first sale, looked up by the number on its receipt (its lines, as in `get_receipt`, are left out here):

EOF
call -l - chidi find_sale "{\"sale_number\":\"$SALE1_NO\"}"
say return_items <<'EOF'
The customer brings back 2 tablets of the first line (sealed: back on the shelf), 1 of the second (opened: quarantined beside its batch, as PCM-2405-RET) and 1 vitamin C (crushed: waste). Any cashier refund needs a manager (the store's cashier refund limit is 0), so musa's PIN comes with it:

EOF
call chidi return_items "{\"sale_id\":\"$SALE1\",\"terminal_id\":\"TILL-1\",\"lines\":[{\"sale_line_id\":\"$S1L1\",\"quantity\":2,\"disposition\":\"restock\"},{\"sale_line_id\":\"$S1L2\",\"quantity\":1,\"disposition\":\"quarantine\"},{\"sale_line_id\":\"$S1L3\",\"quantity\":1,\"disposition\":\"waste\"}],\"tender\":\"cash\",\"reason\":\"bought the wrong strength\",\"approver_name\":\"musa\",\"approver_pin\":\"2468\"}"
call chidi get_receipt "{\"sale_id\":\"$SALE1\"}"
say _errors <<'EOF'
#### `invalid_state`: voiding a sale that has a return

EOF
call -t _errors musa void_sale "{\"sale_id\":\"$SALE1\",\"reason\":\"customer unhappy\"}"

# Closing the day.
say get_shift_report <<'EOF'
The X report of TILL-1's open shift (voided sales are counted apart and their payments leave the takings):

EOF
call chidi get_shift_report '{"terminal_id":"TILL-1"}'
EXPECTED=$(j .expected_cash)
COUNTED=$(python3 -c "from decimal import Decimal as D; print(D('$EXPECTED') - 50)")
say close_shift <<'EOF'
At 18:00 in Lagos chidi counts the drawer, 50 short (`over_short` is negative when short):

EOF
call -n 2026-01-15T17:00:00Z chidi close_shift "{\"terminal_id\":\"TILL-1\",\"counted_cash\":\"$COUNTED\",\"notes\":\"50 short; no slip found\"}"
say get_shift_report <<'EOF'
A closed shift's Z report, by its id:

EOF
call -n 2026-01-15T17:05:00Z musa get_shift_report "{\"shift_id\":\"$SHIFT\"}"
say _errors <<'EOF'
#### `invalid_state`: selling after the till's shift was closed

EOF
call -t _hidden -n 2026-01-15T17:10:00Z chidi open_cart '{"terminal_id":"TILL-1"}'
CART5=$(j .cart_id)
call -t _hidden -n 2026-01-15T17:10:00Z chidi add_cart_line "{\"cart_id\":\"$CART5\",\"product_id\":\"$VITC\"}"
call -t _errors -n 2026-01-15T17:10:00Z chidi complete_sale "{\"sale_id\":\"$(helper uuid7)\",\"cart_id\":\"$CART5\",\"payments\":[{\"tender\":\"cash\",\"amount\":\"100\"}]}"

say list_security_log <<'EOF'
The wrong PINs typed today: musa's at the till (a discount) and the one for a stock adjustment (see [Errors](#errors)):

EOF
call -n 2026-01-15T17:30:00Z musa list_security_log '{"from":"2026-01-15T00:00:00Z"}'

# --- prose and per-command notes ------------------------------------------------

note receive_stock <<'EOF'
- The store's local date (its IANA time zone, at `--now`) is "today": an `expiry_date` before today is refused with `expired_batch`; a `manufacture_date` after today or not before the expiry is `invalid_input`.
- `expiry_date` is required when the product's `tracking.expiry_required` is true (the default); a product that does not track expiry gets batches that never expire (`expiry_date: null`).
- A batch number already in the store for that product is *topped up* when the expiry matches (`topped_up: true`, weighted-average `cost_price`); a different expiry is a `conflict` ("check the pack"); a batch that is quarantined, recalled, damaged or expired is `batch_unavailable`.
- The supplier must exist (`not_found`) and be active (`invalid_state`); a discontinued or deleted product is refused.
- Receipts with the same supplier and `reference_number` share one purchase receipt (`purchase_receipt_id`).
- Writes a `receipt` audit event.
EOF
note allocate_stock_for_sale <<'EOF'
- FEFO: sellable batches of the product in the store, nearest expiry first (ties: the batch recorded first). A batch is sellable when its status is `available` and its expiry is on or after the store's today; reserved quantity is not sellable.
- Batches passed over before the demand was met are listed in `skipped` with a reason: `expired`, `quarantined`, `recalled`, `damaged` or `reserved`.
- `allow_partial` (default true): a shortage allocates what there is and returns `partial: true`, `shortage`, `backorder_suggested: true`. With `false`, a shortage fails with `insufficient_stock` and changes nothing.
- The quantity must be whole unless the product has `allow_fractional` (e.g. 12.5 units of a neurotoxin); at most 3 decimals.
- One `allocated` audit event per batch touched, all carrying `reference_id` (generated as `SALE-<uuid>` when omitted). A batch that reaches 0 becomes `depleted`.
EOF
note reserve_stock <<'EOF'
- The batch must be sellable (`expired_batch` / `batch_unavailable` otherwise) and have enough unreserved stock (`insufficient_stock`).
- `batch_id` is accepted as an alias of `product_batch_id`.
- A second *active* hold on the same batch with the same `reason` and `reference_id` is a `conflict`.
- `ttl_minutes` is 1 to 43200 (30 days), default 60. On-hand is unchanged; `reserved` grows and `available` shrinks. Writes a `reserved` audit event.
EOF
note release_reservation <<'EOF'
Only an `active` hold can be released (`invalid_state` otherwise). Writes a `release` audit event; on-hand is unchanged.
EOF
note confirm_reservation <<'EOF'
The held quantity leaves the batch as a sale (`confirm_reserve` audit event, with `reference_id`, default the reservation id). The batch must still be sellable.
EOF
note release_expired_reservations <<'EOF'
Releases every active hold of the store whose `expires_at` is at or before now and returns their ids (status becomes `expired`). Run it periodically, or with `--now` from the CLI. Holds on a batch that stops being sellable (quarantine, recall, damage, expiry) are released automatically.
EOF
note list_reservations <<'EOF'
`status` is `active` (default), `released`, `confirmed` or `expired`; newest first, at most 1000.
EOF
note adjust_stock <<'EOF'
- `quantity_change` is signed and non-zero; the batch may go neither below 0 (`insufficient_stock`) nor below its reserved quantity (`conflict`).
- `reason`: `damage`, `loss`, `theft`, `obsolete`, `expired`, `correction`, `found`, `recall` or `other` (which needs `notes`).
- A manager's or admin's change applies at once. Anyone else's applies at once only when it is within the store's `adjustment_approval_units` and `adjustment_approval_value` (change × batch cost); above either threshold it is recorded as `pending` (an `adjustment_requested` audit event, stock unchanged) until `approve_adjustment`, unless a manager approves at the till with `approver_name` + `approver_pin` (both or neither; a wrong PIN is `approval_required` again, "approval refused: …", never `unauthenticated`, so the cashier's session stands; a non-manager approver `forbidden`).
- Applied adjustments write an `adjustment` audit event.
EOF
note approve_adjustment <<'EOF'
Applies a `pending` adjustment (`invalid_state` if it is not pending), re-checking that the batch does not go below 0 or below its reservations. The approver is the acting user.
EOF
note reject_adjustment <<'EOF'
Marks a `pending` adjustment `rejected` (an `adjustment_rejected` audit event); stock is unchanged.
EOF
note list_adjustments <<'EOF'
`status` filters on `pending`, `applied` or `rejected`; `limit` is 1–5000 (default 200). Includes write-offs (`kind: writeoff`).
EOF
note writeoff_batch <<'EOF'
Sets the batch's on-hand to 0 (a `writeoff` audit event and an applied adjustment of kind `writeoff`). Refused when the batch is already empty (`invalid_state`) or holds reservations (`conflict`). With reason `damage` the batch's status becomes `damaged`.
EOF
note set_batch_status <<'EOF'
- `status` can be set to `quarantine`, `recalled`, `damaged` or `available`; `available` only releases a quarantined batch, and not one past its expiry (`expired_batch`). `expired` and `depleted` are set by the engine (`expire_batches_within_days`, stock reaching 0).
- `recall_class` (`I`, `II` or `III`) only with `recalled`.
- A batch that stops being sellable loses its active holds. Quantities are unchanged. Writes a `recall` or `status_change` audit event.
EOF
note expire_batches_within_days <<'EOF'
Marks every `available` batch with stock whose expiry date is before the store's today + `days` (0–3650; 0 takes only batches already past their expiry, since a batch is sellable on its expiry date) as `expired`, releasing its holds. The stock stays on hand (write it off with `writeoff_batch`) but is never sold again. One `expired` audit event per batch.
EOF
note get_expiring_batches <<'EOF'
Available batches with stock whose expiry date is between the store's today and today + `days` (0–3650, default 30), nearest first. Each batch carries `days_to_expiry` and an `expiry_band`: `expired`, `within7_days`, `within30_days`, `within90_days`, `ok` or `no_expiry`.
EOF
note get_expired_batches <<'EOF'
Batches with stock that are past their expiry date on the store's today, or marked `expired`.
EOF
note get_store_inventory <<'EOF'
Batches with stock (or all of them with `include_empty: true`), FEFO order. `available` is what can be sold now: on-hand minus reserved for an available, in-date batch, else 0.
EOF
note get_product_stock <<'EOF'
`available` (sellable now), `on_hand` (everything), `reserved`, `expired` (past date or marked expired) and `unavailable` (quarantined, recalled, damaged), over the batches that hold stock; `batches` counts them. A deleted product is `not_found`.
EOF
note create_backorder <<'EOF'
The quantity follows the product's unit rules (whole unless fractional). Writes a `backorder_created` audit event (no stock moves). Status starts `pending`.
EOF
note fulfill_backorder <<'EOF'
Takes the quantity from FEFO stock (all or nothing: `insufficient_stock` when short), writes `backorder_fulfilled` audit events and moves the backorder to `partial` or `fulfilled`. More than is still owed is `invalid_input`; a fulfilled or cancelled backorder is `invalid_state`.
EOF
note cancel_backorder <<'EOF'
Only `pending` or `partial` backorders; what was already handed over stays recorded in `fulfilled_quantity`.
EOF
note list_backorders <<'EOF'
`open_only` defaults to true (`pending` and `partial`); at most 1000, oldest first.
EOF
note create_product <<'EOF'
- Only `sku` (unique, ≤ 64 chars) and `name` are required. Defaults: `category: other`, `unit: unit`, whole quantities, prices 0, `tax_rate` 0, `tracking: {lot: true, serial: false, expiry_required: true}`, `status: active`.
- `category` is one of `neurotoxin`, `filler`, `skincare`, `device`, `consumable`, `supplement`, `medicine`, `other`; `category_id` is a user category (`create_category`). `status` is `active`, `discontinued`, `out_of_stock` or `pending_approval`.
- Every barcode is unique across products (`conflict`), printable, without spaces.
- `markup_percent` (0–10000), `commission_rate` and `tax_rate` (0–100) are decimal **strings** (a JSON number is refused); prices are money (string or number, ≥ 0).
- Nested groups: `injectable` {`concentration`, `dilution_ratio`, `reconstitution_required`, `units_per_vial`, `stability_hours`}, `storage` {`temperature_min_c`, `temperature_max_c` (strings), `refrigerated`, `light_sensitive`, `notes`}, `thresholds` {`reorder_point`, `min_level`, `max_level`, `lead_time_days`}, `tracking` {`lot`, `serial`, `expiry_required`, all three required}.
- Unknown fields are refused (`invalid_input`).
EOF
note update_product <<'EOF'
Omitted fields are kept; `barcodes` and each nested group replace what was there. A deleted product cannot be updated (`invalid_state`). Switching `allow_fractional` off is refused while a batch holds a fractional quantity (`conflict`).
EOF
note get_product <<'EOF'
Also returns soft-deleted products (with `deleted_at`).
EOF
note search_products <<'EOF'
`query` may be omitted (the same as empty). With `include_deleted: true`, deleted products are found by exact SKU/barcode or an empty query, not by the full-text search (their text index entry is removed on deletion).

An exact barcode or SKU match comes first, then a full-text prefix search over name, generic name, brand, SKU, NAFDAC number and barcodes ("para" finds "Paracetamol"). An empty query lists products by name. Each hit carries the product, its `available` quantity in the store and the `nearest_expiry` of its sellable batches. `limit` 1–200 (default 25).
EOF
note delete_product <<'EOF'
Soft delete (`deleted_at`, `deleted_by`); refused while any store holds stock of it (`conflict`). A deleted product disappears from search and stock operations treat it as `not_found`.
EOF
note create_category <<'EOF'
Names are unique among siblings; `parent_id` must exist.
EOF
note list_categories <<'EOF'
Every category with its `path` ("Parent / Child"), in path order.
EOF
note create_supplier <<'EOF'
`name` is unique. `email` must look like an address; `on_time_delivery_rate` (0–100) and `quality_rating` (0–5) are decimal strings. Unknown fields are refused.
EOF
note update_supplier <<'EOF'
Omitted fields are kept; a blank text clears a field. `is_active: false` deactivates the supplier (it can no longer receive).
EOF
note list_suppliers <<'EOF'
Active suppliers (all with `include_inactive: true`), preferred first, then by name.
EOF
note create_store <<'EOF'
`code` is unique (upper-cased; derived from the name when omitted); `timezone` is an IANA name (default `UTC`) and decides the store's "today" for expiry; `currency` a 3-letter code (default `NGN`). New stores get the default approval thresholds (10 units, 100 in value).
EOF
note update_store <<'EOF'
`adjustment_approval_units` / `adjustment_approval_value`: a non-manager's adjustment above either waits for approval (see `adjust_stock`). Thresholds cannot be negative.
EOF
note create_user <<'EOF'
`role` is `cashier`, `practitioner`, `manager` or `admin`; `name` is unique; `pin` is 4–12 digits (stored as an argon2id hash; a user without a PIN can still act through the CLI's `--user`). `store_id` defaults to the creator's home store.
EOF
note update_user <<'EOF'
The last active admin can be neither demoted nor deactivated (`conflict`). A new PIN clears failed attempts and any lock.
EOF
note list_users <<'EOF'
Active users (all with `include_inactive: true`), with `has_pin`; never PIN hashes.
EOF
note get_till_settings <<'EOF'
Defaults until a manager changes them: prices include tax, no cash rounding (`"0"`), tenders `cash` and `card`, batch and expiry printed on receipts, holds kept 60 minutes, cashier discount limit 10 %, cashier refund limit 0 (every cashier refund needs a manager), sale numbers prefixed with the store code (`LEK-01-000001`).
EOF
note update_till_settings <<'EOF'
- Omitted fields are kept. `rounding_increment` is 0–1000: the total is rounded (half away from zero) to a multiple of it and the difference shown as `rounding`. `tenders` are lower-case codes (letters, digits, `_`; at least one). `hold_ttl_minutes` is 1–43200; `cashier_discount_limit_percent` 0–100 (a **string**); `cashier_refund_limit` ≥ 0; `sale_prefix` letters, digits and `-` (upper-cased).
- Sale numbers are `<prefix>-000001`, sequential per store, never reused.
EOF
note scan_barcode <<'EOF'
- The code is first looked up as it is among the products' barcodes (store labels); otherwise it is parsed as GS1: EAN-8, UPC-A, EAN-13, GTIN-14 (check digit verified), element strings with FNC1 = ASCII 29 and an optional `]C1`, `]d2`, `]Q3` or `]e0` prefix, or the bracket form `(01)…(17)…(10)…`. A GTIN matches a product stored under any of its 14/13/12/8-digit forms. No product: `not_found`; a malformed code or wrong check digit: `invalid_input`.
- Expiry dates with day `00` mean the month's last day; two-digit years follow the GS1 sliding window against the store's today.
- `decision`: `use_batch` when the symbol's batch (AI 10) is held by this store and sellable; `refused` (`refusal`: `expired`, `recalled`, `quarantine`, `damaged`) when that batch cannot be sold or the pack's own expiry (AI 17) is past, known batch or not; otherwise `fefo`. `message` is one sentence for the cashier; a printed expiry that differs from the batch record is reported there, never stored.
- `quantity` is the symbol's count (AI 30 or 37), else 1. `available` is the product's sellable quantity in the store. A scan writes nothing.
EOF
note open_cart <<'EOF'
One open cart per user per till: the same cart comes back until it is sold, held or cancelled, so a till that lost power finds it again. `terminal_id` is the workstation's name (letters, digits, `-`, `_`, `.`). Opening a cart needs no shift; selling does.
EOF
note get_cart <<'EOF'
The cart as every cart command answers it (`CartView`): lines with `list_price`, `unit_price`, `gross`, `line_discount`, `cart_discount`, `tax`, `total`, the pinned `batch_id` (with `batch_number`, `batch_expiry`), `available` and `short`; `totals` (`subtotal`, `discount`, `tax`, `total_before_rounding`, `rounding`, `total`, `taxes` per rate); `holds` of a held cart. Amounts are exact decimals rounded to 2 places, half away from zero; with tax-inclusive prices the tax is extracted from the line (`amount × r / (100 + r)`).
EOF
note add_cart_line <<'EOF'
- The quantity follows the product's unit (whole unless `allow_fractional`); a prescription-only product needs `prescription_reference` (`invalid_input`), kept with the sale line. A discontinued product can still be sold from stock; one `pending_approval` cannot (`invalid_state`).
- `batch_id` pins the line to that batch (a scan's `use_batch`): it must be the product's, in the cart's store, and sellable today (`expired_batch`, `batch_unavailable`). Without it, FEFO picks at completion.
- The line keeps the price it was added at. Adding the same product and batch again (no discount, no override) adds to that line.
- A shortage does not refuse the line: it is flagged `short` (and `available` says how much there is); the sale itself is all or nothing.
- Only the cart's owner or a manager can change a cart (`forbidden`); only an `open` cart can change (`invalid_state`). Changing a resumed cart releases its holds.
EOF
note update_cart_line <<'EOF'
- Omitted fields are kept. The new quantity and prescription reference follow the same rules as `add_cart_line`.
- `batch_id` pins the line to a batch chosen by hand; `use_fefo: true` unpins it (both at once is `invalid_input`). A pinned batch must be this product's in the cart's store (`invalid_input`), exist (`not_found`), be sellable today (`expired_batch`, or `batch_unavailable` with `details.status`) and have the line's quantity free after other holds and the cart's other lines pinned to it (`insufficient_stock`); unlike `add_cart_line`, a hand-picked batch that cannot fill the line is refused at once. The line is not merged with another line of the same batch.
- A refusal changes nothing.
EOF
note remove_cart_line <<'EOF'
A line that is not in the cart is `not_found`.
EOF
note set_line_discount <<'EOF'
- `discount` is `{"kind": "percent" | "amount", "value": …}`: a percentage (0–100) of the line's gross, or an amount up to the gross. Omitted or null removes it.
- Above the store's `cashier_discount_limit_percent` (as a percentage of the gross) it needs a manager: the acting user is one, or `approver_name` + `approver_pin` name one. Without them `approval_required`; a wrong PIN `approval_required` again, "approval refused: …" (written to the security log, and counting towards the manager's lockout: 5 tries, 5 minutes, then `locked`); a non-manager's PIN `forbidden`. The approver is kept on the line (`discount_approved_by`).
- `complete_sale` checks the limit again (a quantity change can push an amount discount over it).
EOF
note set_cart_discount <<'EOF'
`discount` as for `set_line_discount`, applied to the lines after their own discounts and shared across them in proportion (the last line takes the remainder, shown per line as `cart_discount`). The same limit and approval rules; the approver is `discount_approved_by` on the cart.
EOF
note override_line_price <<'EOF'
Any price other than the list price needs a manager (the acting user, or `approver_name` + `approver_pin`), kept as `price_overridden_by`; `unit_price` omitted, null or equal to the list price goes back to the list price. A negative price is `invalid_input`.
EOF
note cancel_cart <<'EOF'
An `open` cart (its owner or a manager) or a `held` one (anyone who sells) becomes `cancelled` and its holds are released. A sold or cancelled cart is `invalid_state`.
EOF
note hold_cart <<'EOF'
- Reserves each line's stock exactly as the sale would take it (the pinned batch, else FEFO) with reason `pending_sale` and the cart id as reference, one reservation per batch, for the store's `hold_ttl_minutes`; a second till cannot sell it meanwhile. An empty cart cannot be held (`invalid_state`).
- Lapsed holds are released by `release_expired_reservations` (also run by `hold_cart`, `resume_cart` and `complete_sale`); the cart stays held and can still be resumed and sold from free stock.
EOF
note resume_cart <<'EOF'
Only a `held` cart. It becomes the acting user's open cart on `terminal_id`, keeping its holds until a line changes. The user's current cart on that till must be empty (it is cancelled), else `conflict`.
EOF
note list_held_carts <<'EOF'
`hold_lapsed` is true once the hold's time is past or its reservations are gone.
EOF
note complete_sale <<'EOF'
- One transaction, **idempotent on `sale_id`**: the till mints a UUID when "pay" is pressed and resends it on a retry; a sale id already used for this cart returns the same receipt and sells nothing again, for another cart it is a `conflict`.
- Needs the till's open shift (`invalid_state`). Everything is checked again: products, quantities, prescriptions, pinned batches (a batch recalled since the scan is refused), discounts against the limit.
- Stock is planned for all lines first: the cart's own holds, then the pinned batch or FEFO. A short line fails the whole sale with `insufficient_stock` (`details.available` = what that line could get) and nothing changes. Matching holds are confirmed (`confirm_reserve` events), the rest released, the remainder taken (`allocated` events); every event's reference is the sale number.
- `payments`: `[{"tender", "amount", "reference"?}]`, enabled tenders only, each > 0 (`invalid_input`); together they must cover the total, and non-cash tenders may not exceed it: only cash gives change.
EOF
note get_receipt <<'EOF'
The receipt (`Receipt`) is read back from the stored sale, never recomputed, so a reprint matches the original. Lines carry their `batches` (number, expiry, quantity; printed as the settings say) and `returned_quantity`; a voided sale has `status: voided`, `voided_at` and `void_reason`.
EOF
note find_sale <<'EOF'
By the number printed on the receipt (case-insensitive), in the user's store unless `store_id` is given. Unknown: `not_found`.
EOF
note list_sales <<'EOF'
Give `shift_id`, or `terminal_id` for that till's open shift (`invalid_state` when it has none; neither is `invalid_input`). Completed and voided sales, newest first; `limit` 1–1000 (default 50).
EOF
note return_items <<'EOF'
- Against the lines of a `completed` sale: never more than sold minus returned, per line and per batch the sale really took (`invalid_input`); `batch_id` picks one batch of a line that took several.
- The refund comes from the sale's own line totals (discounts and tax as charged), in proportion; the last unit of a line refunds exactly what is left of it. A cash refund is rounded to the store's increment. `tender` (default `cash`) must be enabled.
- `disposition`: `restock` puts it back onto its original batch (refused, `invalid_state`, while that batch is expired, recalled or quarantined); `quarantine` onto the original batch when it is already unsellable, else onto a quarantined `<batch>-RET` batch beside it; `waste` writes a `waste` event and nothing comes back. Stock coming back is a `return` event referencing the sale number.
- A refund above the store's `cashier_refund_limit` needs a manager (as for discounts; `approved_by`). The refund leaves the drawer of `terminal_id`, which needs an open shift.
EOF
note void_sale <<'EOF'
Always a manager (the acting user, or `approver_name` + `approver_pin`). Only a `completed` sale whose shift is still open and that has no returns (`invalid_state`: take a return instead). Every unit goes back onto the batch it came from (`void` events); the sale's payments leave the shift's takings. `reason` is required.
EOF
note open_shift <<'EOF'
One open shift per till (`conflict`); `opening_float` ≥ 0. Sales and returns on a till need its open shift and are filed under it. Answers the (empty) X report.
EOF
note close_shift <<'EOF'
Closes the till's open shift (`invalid_state` when there is none); the opener or a manager (`forbidden` otherwise). Answers the Z report with `counted_cash` and `over_short` = counted − expected (negative: short).
EOF
note get_shift_report <<'EOF'
By `shift_id` (any shift, open or closed), or by `terminal_id` (that till's open shift). The report: completed sales (count, total), voids, returns, discounts, tax, rounding; per tender the takings (cash net of change) and refunds; `expected_cash` = float + cash sales − cash refunds; once closed, `counted_cash` and `over_short`.
EOF
note list_security_log <<'EOF'
- Every failed sign-in (unknown user, wrong PIN, locked, deactivated) and every failed manager approval (with who asked, `actor_name`, and for what, `action`). `outcome` is `wrong_pin`, `unknown_user`, `locked`, `not_a_manager` or `deactivated`.
- A failed approval rolls its request back, so the entry is written after the rollback, in a transaction of its own. A wrong approval PIN counts towards the manager's lockout like a failed sign-in.
- `from` (inclusive, RFC 3339); newest first; `limit` 1–5000 (default 200).
- The CLI's `--user` is not a sign-in (no PIN is asked), so an unknown name there (`unauthenticated`) is not logged.
EOF
note get_audit_trail <<'EOF'
- Unlike other commands, an omitted `store_id` means **every** store (not the home store).
- `change_type` is one of `receipt`, `allocated`, `reserved`, `release`, `confirm_reserve`, `adjustment`, `writeoff`, `expired`, `transfer_out`, `transfer_in`, `reconciliation`, `treatment_use`, `waste`, `recall`, `status_change`, `return`, `void`, `backorder_created`, `backorder_cancelled`, `backorder_fulfilled`, `adjustment_requested`, `adjustment_rejected`. Till sales, returns and voids reference the sale number (`LEK-01-000001`).
- `from` (inclusive) and `to` (exclusive) are RFC 3339 instants. Newest first unless `oldest_first`; `limit` 1–5000 (default 200).
- Every event has `seq` (1, 2, 3… per store) and `hash` = SHA-256(previous hash ‖ canonical event), so editing, deleting or reordering an event breaks the chain; the table refuses UPDATE and DELETE.
EOF
note verify <<'EOF'
Re-hashes every store's chain (`chain` problems), replays every batch's on-hand from the ledger and compares it with the batch (`conservation`), and compares each batch's reserved quantity with its active holds (`reservation`). At most 1000 problems are listed. `pharmapos verify` (no `--user`) does the same plus SQLite's `PRAGMA integrity_check`, and exits non-zero when anything is wrong.
EOF

prose_intro() {
cat <<'EOF'
# PharmaPOS command reference

<!-- Generated by scripts/gen-reference.sh: edit the script, not this file. -->

PharmaPOS is an offline-first pharmacy / medical-spa POS and inventory engine
over one local SQLite file. Every operation is a *command* with a JSON request
and a JSON response; the desktop app, the CLI (`pharmapos`) and the tests all
reach the engine through the same command layer (`crates/commands`), so this
reference holds for all of them.

Every example below was produced by `scripts/gen-reference.sh`, which builds
the CLI, creates a demo database and runs each command against it with a fixed
clock (`--now 2026-01-15T09:00:00Z`, 10:00 in Lagos). The demo store,
"Lekki Pharmacy & Med Spa" (time zone Africa/Lagos), has users `ada` (admin),
`musa` (manager), `chidi` (cashier) and `ngozi` (practitioner), paracetamol
500 mg tablets (`PARA-500`, whole tablets) and a botulinum toxin counted in
units (`BTX-100`, fractional: a dose is 12.5 units). At the counter
([The till](#the-till)) chidi sells on till `TILL-1` and musa approves
discounts, price overrides, refunds and voids with his PIN. Ids are UUID v7
and differ on every run. Outputs are real; a few long lists are cut after
their first elements, and some cart views and receipts show only the lines
an example is about: what is left out is marked `…`.
EOF
}

prose_cli_head() {
cat <<'EOF'

## The CLI

```
pharmapos --db FILE init --store-name NAME [--store-code C] [--timezone TZ] [--currency CUR] --admin NAME [--pin PIN]
pharmapos --db FILE --user NAME [--now RFC3339] call COMMAND [JSON | -]
pharmapos --db FILE verify
pharmapos --db FILE backup DEST
pharmapos commands
pharmapos bench --db FILE [--products N] [--batches-per-product N] [--sales N] [--seed N] [--sync FULL|NORMAL] [--search] [--till-sales N] [--till-lines N]
```

Global options (before or after the subcommand):

| option | meaning |
|---|---|
| `--db FILE` | the store database (env `PHARMAPOS_DB`). Created if missing; a file that is not a PharmaPOS database, or was written by a newer PharmaPOS, is refused before anything is written to it (`not_a_database`, `schema_too_new`). |
| `--user NAME` | the acting user (required by `call`). Permissions are checked for this user's role. The CLI is local tooling on the store PC: whoever can open the file can act as its users; no PIN is asked. |
| `--now RFC3339` | fixes the clock, e.g. `2026-01-15T09:00:00Z`: every timestamp written and every expiry rule ("today" in the store's time zone) uses it. Without it, the system clock. |

Output: results are printed as pretty JSON on stdout, exit status 0. A failure
prints `{"error":{"kind":…,"message":…,"details":{…}}}` on one line on
**stderr** and exits with status 1 (see [Errors](#errors)). Object keys in
`call` output are sorted alphabetically.

### `pharmapos init`

Creates the first store and its administrator in one transaction and prints
`{store_id, user_id}`. Refused (`invalid_state`) once the database has an admin.
`--store-code` defaults to one derived from the name, `--timezone` to `UTC`,
`--currency` to `NGN`; `--pin` is 4–12 digits (without one, only the CLI can act
as the admin).

EOF
}

prose_cli_rest() {
cat <<'EOF'

### `pharmapos call`

`pharmapos --db FILE --user NAME [--now T] call COMMAND [JSON | -]` runs one
command. The request is a JSON object given as an argument, or read from stdin
with `-`; omitted, it is `{}`. An unknown command, invalid JSON or a non-object
is `invalid_input`. Each command runs in exactly one SQLite transaction
(`BEGIN IMMEDIATE` when it writes) together with its audit events: it happens
entirely or not at all. Every section below has `call` examples; here the
request comes from stdin:

EOF
}

prose_verify() {
cat <<'EOF'

### `pharmapos verify`

`pharmapos --db FILE verify` runs SQLite's integrity check, re-hashes the audit
chain and recomputes every batch's on-hand from the ledger (as the `verify`
command, but needing no user). It prints the report and exits non-zero
(`conflict`, "verification found N problem(s)") on any mismatch.

EOF
}

prose_backup() {
cat <<'EOF'

### `pharmapos backup`

`pharmapos --db FILE backup DEST` copies the database with SQLite's online
backup: consistent even while a till keeps writing. `DEST` must differ from the
live file.

EOF
}

prose_commands_bench() {
cat <<'EOF'

### `pharmapos commands`

`pharmapos commands` lists every command with its permission (`, writes` when it
changes the database), summary, request fields (`?` = optional) and response
type, e.g.:

```
receive_stock  [receive_stock, writes]
    Receive stock from a supplier into a batch (same batch number tops up when the expiry matches)
    request:  { product_id: ProductId, store_id?: StoreId, batch_number: string, quantity: Qty, … }
    response: ReceiveResult
```

### `pharmapos bench`

`pharmapos bench --db FILE …` runs the shared benchmark workload (receive
`--products` × `--batches-per-product` batches, then `--sales` FEFO sales;
`--search` also times product search; `--till-sales N` then rings up N till
sales of `--till-lines` scanned lines each, default 5, and reports the
scan-to-line and completion percentiles under `"till"`) on a fresh file
(deleted first) and prints one JSON line of throughput and latency figures.
`--sync` is `FULL` (default) or `NORMAL`. Time it with a release build
(`cargo build --release -p pharmapos-cli`).
EOF
}

prose_conventions() {
cat <<'EOF'

## Conventions

- **Ids** are UUID v7 strings (`"019b…"`), typed per entity (`ProductId`,
  `BatchId`, `StoreId`, `SupplierId`, `UserId`, `ReservationId`,
  `AdjustmentId`, `BackorderId`, `CategoryId`, `CartId`, `CartLineId`,
  `SaleId`, `SaleLineId`, `ShiftId`, `ReturnId`…): time-ordered, minted
  offline. A till mints the `sale_id` of `complete_sale` itself.
- **Quantities** (`Qty`) and **money** (`Money`) are exact decimals, written as
  JSON strings (`"12.5"`; money always with at least two places, `"18.50"`,
  `"0.1234"`). Inputs accept a JSON number or a string
  (`12.5` or `"12.5"`). Quantities carry at most 3 decimals and money at most 4;
  more is `invalid_input`. A quantity must be whole unless the product has
  `allow_fractional: true`. Percentages and temperatures (`tax_rate`,
  `markup_percent`, `commission_rate`, `on_time_delivery_rate`,
  `quality_rating`, `storage.temperature_*`) must be strings.
- **Dates** (`expiry_date`, `manufacture_date`, `received_date`) are
  `YYYY-MM-DD`. **Instants** (`created_at`, `expires_at`, audit `from`/`to`)
  are RFC 3339, stored in UTC with milliseconds. "Today" is the store's local
  date in its IANA time zone: a batch expiring on 2026-01-15 is still sellable
  on the 15th in Lagos.
- **Store**: `store_id` is optional wherever it appears; it defaults to the
  acting user's home store (or, for a user without one, the only store in the
  file). `get_audit_trail` is the exception: without `store_id` it covers every
  store.
- **Acting user**: always `--user` (the signed-in user in the desktop app),
  never a request field, so it cannot be forged by a request.
- **Unknown request fields** are refused (`invalid_input`).
- **Audit**: every stock movement, hold, status change and backorder writes an
  append-only, hash-chained audit event in the same transaction
  (`get_audit_trail`, `verify`). Stock never goes negative.

### Roles and permissions

Each command needs one permission (shown in its section); roles grant them as
follows (`crates/engine/src/auth.rs`, `Permission::granted_to`):

| permission | what it covers | cashier | practitioner | manager | admin |
|---|---|:-:|:-:|:-:|:-:|
| `view_inventory` | products, stock, batches, lists | ✓ | ✓ | ✓ | ✓ |
| `sell` | the till (carts, sales, returns, shifts), holds, backorders | ✓ | ✓ | ✓ | ✓ |
| `adjust_stock` | submit adjustments (large ones wait for approval) | ✓ | ✓ | ✓ | ✓ |
| `receive_stock` | record deliveries | | | ✓ | ✓ |
| `manage_stock` | approve/reject adjustments, write-offs, batch status, expiry, till settings | | | ✓ | ✓ |
| `manage_catalogue` | products, categories, suppliers | | | ✓ | ✓ |
| `view_audit` | audit trail, verify, security log | | | ✓ | ✓ |
| `manage_users` | users | | | | ✓ |
| `manage_stores` | stores | | | | ✓ |

A manager's or admin's adjustment always applies at once; other roles' large
adjustments wait for a manager (see `adjust_stock`). At the till, what is
beyond a cashier's limits (a discount above the limit, a price override, a
refund above the limit, a void) is done by a manager or carries a manager's
`approver_name` and `approver_pin` in the same request; "manager" means the
`manager` or `admin` role.
EOF
}

prose_errors() {
cat <<'EOF'

## Errors

A failing command changes nothing and prints one line on stderr, exit status 1:

```json
{"error":{"details":{…},"kind":"insufficient_stock","message":"insufficient stock: requested 500, available 10"}}
```

`kind` is stable and machine-readable; `message` is for people; `details`
depends on the kind (`crates/engine/src/error.rs`):

| kind | meaning | details |
|---|---|---|
| `not_found` | a referenced record does not exist (or is a deleted product) | `entity`, `id` |
| `invalid_input` | malformed request, unknown field or command, validation rule broken | `field`: the request field (a path such as `payments[0].amount` when nested; null when the request as a whole is wrong) |
| `insufficient_stock` | not enough stock for an all-or-nothing request | `product_id`, `batch_id`, `requested`, `available` |
| `expired_batch` | the batch, or the expiry date given, is past (or the batch is marked expired) | `batch`, `expiry_date` |
| `batch_unavailable` | the batch is quarantined, recalled, damaged… | `batch`, `status` |
| `forbidden` | the acting user's role lacks the permission | `user`, `role`, `permission` |
| `approval_required` | the till operation needs a manager: resend with `approver_name` + `approver_pin` (stock adjustments go `pending` instead) | — |
| `conflict` | collides with existing data (duplicate SKU, barcode, name; batch number with another expiry; reserved stock; a second shift on a till; a reused sale id) | — |
| `invalid_state` | the record's state does not allow it (already decided, deleted, last admin, cart not open, no open shift, sale voided…) | — |
| `unauthenticated` | unknown or deactivated user, wrong PIN (a wrong approval PIN is also written to the security log) | — |
| `locked` | too many failed PIN attempts (5; locked for 5 minutes) | `user`, `until` |
| `schema_too_new` | the file was written by a newer PharmaPOS | `file_version`, `program_version` |
| `not_a_database` | the file is not a PharmaPOS database | `path` |
| `storage` | SQLite or I/O failure; a full disk, a read-only file, a lock held too long and a disk error are said in plain words with what to do (the first three roll the change back; after a disk error, run `verify`) | — |
| `internal` | a broken invariant (a bug) | — |

Examples (real output):

EOF
}

prose_types() {
cat <<'EOF'

## Value lists

| type | values |
|---|---|
| `Role` | `cashier`, `practitioner`, `manager`, `admin` |
| `BatchStatus` | `available` (sellable if in date), `quarantine`, `expired`, `recalled`, `depleted` (nothing left), `damaged` |
| `ExpiryBand` | `expired`, `within7_days`, `within30_days`, `within90_days`, `ok`, `no_expiry` |
| `SkipReason` | `expired`, `quarantined`, `recalled`, `damaged`, `reserved` |
| `AdjustmentReason` | `damage`, `loss`, `theft`, `obsolete`, `expired`, `correction`, `found`, `recall`, `other` |
| `ProductCategory` | `neurotoxin`, `filler`, `skincare`, `device`, `consumable`, `supplement`, `medicine`, `other` |
| `ProductStatus` | `active`, `discontinued`, `out_of_stock`, `pending_approval` |
| reservation `status` | `active`, `released`, `confirmed`, `expired` |
| adjustment `status` | `pending`, `applied`, `rejected` (`kind`: `adjustment` or `writeoff`) |
| backorder `status` | `pending`, `partial`, `fulfilled`, `cancelled` |
| `DiscountKind` | `percent`, `amount` |
| scan `decision` | `use_batch`, `fefo`, `refused` (`refusal`: `expired`, `recalled`, `quarantine`, `damaged`) |
| cart `status` | `open`, `held`, `completed`, `cancelled` |
| sale `status` | `completed`, `voided` |
| `ReturnDisposition` | `restock`, `quarantine`, `waste` |
| shift `status` | `open` (X report), `closed` (Z report) |
| security log `event` | `sign_in_failed`, `approval_failed` (`outcome`: `wrong_pin`, `unknown_user`, `locked`, `not_a_manager`, `deactivated`) |
EOF
}

# --- assemble the reference --------------------------------------------------

"$BIN" commands > "$WORK/commands.txt"
helper commands < "$WORK/commands.txt" > "$WORK/commands.json"
missing=""
for c in $(jq -r '.[].name' "$WORK/commands.json"); do
  [ -s "$WORK/ex/$c.md" ] || missing+=" $c"
done
[ -z "$missing" ] || { echo "no example for:$missing" >&2; exit 1; }

camel() { echo "$1" | sed -E 's/(^|_)([a-z])/\U\2/g'; }

REF_GROUPS=(
  "Stock|receive_stock allocate_stock_for_sale reserve_stock release_reservation confirm_reservation release_expired_reservations list_reservations adjust_stock approve_adjustment reject_adjustment list_adjustments writeoff_batch set_batch_status expire_batches_within_days get_expiring_batches get_expired_batches get_store_inventory get_batch get_product_stock"
  "Backorders|create_backorder fulfill_backorder cancel_backorder list_backorders"
  "Catalogue|create_product update_product get_product search_products delete_product create_category list_categories create_supplier update_supplier get_supplier list_suppliers"
  "People and stores|create_store update_store list_stores create_user update_user list_users"
  "The till|get_till_settings update_till_settings scan_barcode open_cart get_cart add_cart_line update_cart_line remove_cart_line set_line_discount set_cart_discount override_line_price cancel_cart hold_cart resume_cart list_held_carts complete_sale get_receipt find_sale list_sales return_items void_sale open_shift close_shift get_shift_report"
  "Audit|get_audit_trail verify list_security_log"
)

index_table() {
  printf '\n## Commands at a glance\n\n| group | command | permission | what it does |\n|---|---|---|---|\n'
  local g title cmds c
  for g in "${REF_GROUPS[@]}"; do
    title=${g%%|*}; cmds=${g#*|}
    for c in $cmds; do
      jq -r --arg c "$c" --arg g "$title" '.[] | select(.name == $c) |
        "| \($g) | [`\(.name)`](#\(.name)) | `\(.permission)`\(if .writes then " (writes)" else "" end) | \(.summary) |"' \
        "$WORK/commands.json"
    done
  done
}

section() { # section TITLE COMMAND...
  local title=$1; shift
  printf '\n## %s\n' "$title"
  for c in "$@"; do
    local meta
    meta=$(jq -c --arg c "$c" '.[] | select(.name == $c)' "$WORK/commands.json")
    [ -n "$meta" ] || { echo "unknown command in the reference layout: $c" >&2; exit 1; }
    printf '\n### `%s`\n\n' "$c"
    printf '%s.\n\n' "$(jq -r .summary <<<"$meta" | sed 's/\.$//')"
    printf -- '- permission: `%s`' "$(jq -r .permission <<<"$meta")"
    if [ "$(jq -r .writes <<<"$meta")" = true ]; then printf ' (writes)\n'; else printf ' (read-only)\n'; fi
    printf -- '- response: `%s`\n\n' "$(jq -r .response <<<"$meta")"
    helper table "$(camel "$c")"
    echo
    [ -s "$WORK/notes/$c.md" ] && { cat "$WORK/notes/$c.md"; echo; }
    if [ "$(grep -c '^```console' "$WORK/ex/$c.md")" -gt 1 ]; then printf 'Examples:\n\n'; else printf 'Example:\n\n'; fi
    cat "$WORK/ex/$c.md"
  done
}


{
  prose_intro
  index_table
  prose_cli_head
  cat "$WORK/ex/_init.md"
  prose_cli_rest
  cat "$WORK/ex/_stdin.md"
  prose_verify
  cat "$WORK/ex/_verify.md"
  prose_backup
  cat "$WORK/ex/_backup.md"
  prose_commands_bench
  prose_conventions
  prose_errors
  cat "$WORK/ex/_errors.md"
  for g in "${REF_GROUPS[@]}"; do
    # shellcheck disable=SC2086
    section "${g%%|*}" ${g#*|}
  done
  prose_types
} > "$OUT.tmp"

listed=$(jq -r '.[].name' "$WORK/commands.json" | sort)
documented=$(grep -oE '^### `[a-z_]+`' "$OUT.tmp" | sed -E 's/^### `(.*)`/\1/' | sort)
[ "$listed" = "$documented" ] || {
  echo "the reference layout does not match 'pharmapos commands':" >&2
  diff <(echo "$listed") <(echo "$documented") >&2 || true
  exit 1
}
mv "$OUT.tmp" "$OUT"
echo "wrote $OUT"
