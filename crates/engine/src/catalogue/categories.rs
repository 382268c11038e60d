//! Hierarchical product categories (user-defined, beside the built-in kinds).

use super::{optional_text, required_text};
use crate::auth::Permission;
use crate::ids::CategoryId;
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A category.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Category {
    /// Id.
    pub id: CategoryId,
    /// Name (unique among its siblings).
    pub name: String,
    /// Display name.
    pub display_name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Parent category.
    pub parent_id: Option<CategoryId>,
    /// "Parent / Child" path for display.
    pub path: String,
}

/// Longest category name, in characters.
pub(crate) const MAX_NAME: usize = 80;

/// Names are unique among siblings; `parent_id` must exist.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CreateCategory {
    /// Name.
    pub name: String,
    /// Display name.
    #[ts(optional)]
    pub display_name: Option<String>,
    /// Description.
    #[ts(optional)]
    pub description: Option<String>,
    /// Parent.
    #[ts(optional)]
    pub parent_id: Option<CategoryId>,
}

impl Operation for CreateCategory {
    const NAME: &'static str = "create_category";
    const SUMMARY: &'static str = "Create a product category, optionally under a parent";
    const PERMISSION: Permission = Permission::ManageCatalogue;
    const WRITES: bool = true;
    type Output = Category;

    fn run(self, ctx: &Ctx<'_>) -> Result<Category> {
        let name = required_text("name", &self.name, MAX_NAME)?;
        if let Some(p) = self.parent_id {
            let exists: bool = ctx.tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM categories WHERE id = ?1)",
                [p],
                |r| r.get(0),
            )?;
            if !exists {
                return Err(Error::not_found("category", p));
            }
        }
        let dup: bool = ctx.tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM categories WHERE name = ?1 AND parent_id IS ?2)",
            params![name, self.parent_id],
            |r| r.get(0),
        )?;
        if dup {
            return Err(Error::conflict(format!(
                "category '{name}' already exists there"
            )));
        }
        let id = CategoryId::new();
        ctx.tx.execute(
            "INSERT INTO categories (id, name, display_name, description, parent_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                id,
                name,
                optional_text("display_name", self.display_name.as_deref(), 120)?,
                optional_text("description", self.description.as_deref(), 500)?,
                self.parent_id,
                ctx.now_str()
            ],
        )?;
        let created = list(ctx)?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| Error::internal("category vanished"))?;
        crate::audit::record_change(
            ctx,
            crate::audit::ChangeType::CategoryCreated,
            ("category", &id.to_string(), &created.name),
            None::<&Category>,
            &created,
        )?;
        Ok(created)
    }
}

/// Every category with its `path` ("Parent / Child"), in path order.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListCategories {}

impl Operation for ListCategories {
    const NAME: &'static str = "list_categories";
    const SUMMARY: &'static str = "All product categories as a tree (path order)";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = Vec<Category>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<Category>> {
        list(ctx)
    }
}

pub(crate) fn list(ctx: &Ctx<'_>) -> Result<Vec<Category>> {
    let mut stmt = ctx.tx.prepare(
        "WITH RECURSIVE tree(id, path) AS (
             SELECT id, name FROM categories WHERE parent_id IS NULL
             UNION ALL
             SELECT c.id, tree.path || ' / ' || c.name FROM categories c JOIN tree ON c.parent_id = tree.id)
         SELECT c.id, c.name, c.display_name, c.description, c.parent_id, tree.path
           FROM categories c JOIN tree ON tree.id = c.id ORDER BY tree.path",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Category {
            id: r.get(0)?,
            name: r.get(1)?,
            display_name: r.get(2)?,
            description: r.get(3)?,
            parent_id: r.get(4)?,
            path: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Checks a category id exists.
pub(crate) fn ensure_exists(ctx: &Ctx<'_>, id: CategoryId) -> Result<()> {
    ctx.tx
        .query_row("SELECT 1 FROM categories WHERE id = ?1", [id], |_| Ok(()))
        .optional()?
        .ok_or_else(|| Error::not_found("category", id))
}
