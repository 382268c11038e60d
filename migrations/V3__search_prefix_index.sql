-- Type-ahead search over a large catalogue. Every word typed is a prefix
-- ("para 500" finds "Paracetamol 500 mg"). Without prefix indexes FTS5
-- answers a prefix term by merging the doclists of every matching token in
-- full: where thousands of names share a word, that is milliseconds per
-- keystroke. With them, prefixes of 2 to 8 characters are looked up like
-- whole tokens and intersected lazily. Rebuilt from the products table,
-- keyed as before by the product row's rowid.
DROP TABLE product_search;
CREATE VIRTUAL TABLE product_search USING fts5(
    product_id UNINDEXED, name, terms,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4 5 6 7 8'
);
INSERT INTO product_search (rowid, product_id, name, terms)
SELECT p.rowid, p.id, p.name,
       concat_ws(' ', p.sku, p.generic_name, p.brand, p.nafdac_number,
                 (SELECT group_concat(barcode, ' ') FROM product_barcodes WHERE product_id = p.id))
  FROM products p;
