-- PharmaPOS store database, schema 20: what the manager's reports need.
--
-- The slow-movers report shows each product's last sale in the store, and
-- the sales report filtered to one product reads that product's lines:
-- both look sale lines up by product, which no index did (a sale line was
-- only ever read through its sale). One more B-tree entry per sold line;
-- see docs/benchmarks.md for the reports' figures.
CREATE INDEX ix_sale_lines_product ON sale_lines(product_id);
