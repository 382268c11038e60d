//! Head office's people: who may use the admin API (`/v1/admin/…`) and
//! head office's web view. An admin is a name and a token (256 random bits,
//! shown once by `pharmapos-server admin add`, kept as its SHA-256); every
//! admin request carries it as `Authorization: Bearer <token>`. Stores'
//! secrets never open the admin API, nor admin tokens the stores' API.

use crate::{sha256_hex, ApiError};
use axum::http::{HeaderMap, StatusCode};
use deadpool_postgres::Pool;

/// Registers an admin and returns their token, shown this once.
pub async fn add_admin(pool: &Pool, name: &str) -> anyhow::Result<String> {
    let name = name.trim();
    anyhow::ensure!(
        !name.is_empty() && name.chars().count() <= 80,
        "give the admin a name (1 to 80 characters)"
    );
    let mut raw = [0u8; 32];
    getrandom::fill(&mut raw).map_err(|e| anyhow::anyhow!("no randomness for the token: {e}"))?;
    let token = hex::encode(raw);
    let client = pool.get().await?;
    let inserted = client
        .execute(
            "INSERT INTO admins (name, token_sha256) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&name, &sha256_hex(&token)],
        )
        .await?;
    anyhow::ensure!(inserted == 1, "an admin named {name} already exists");
    Ok(token)
}

/// The admin a request comes from, or `unauthenticated` (one answer for
/// a missing, unknown or wrong token).
pub async fn require_admin(pool: &Pool, headers: &HeaderMap) -> Result<String, ApiError> {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|a| a.trim().strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(admin_unauthenticated)?;
    let client = pool.get().await?;
    // Looked up by the token's digest: nothing to compare in variable time.
    let row = client
        .query_opt(
            "SELECT name FROM admins WHERE token_sha256 = $1",
            &[&sha256_hex(token)],
        )
        .await?
        .ok_or_else(admin_unauthenticated)?;
    Ok(row.get(0))
}

fn admin_unauthenticated() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
        "sign in with a head-office admin token",
    )
}
