//! The server's settings, from four places in this order of precedence:
//! a flag (`--listen`), then the environment (`PHARMAPOS_SERVER_LISTEN`),
//! then the configuration file (`--config <file.toml>` or
//! `PHARMAPOS_SERVER_CONFIG`; key `listen`), then the default. Each key is
//! taken from the first place that sets it, so a file can hold a site's
//! settings and one run can still override any of them.
//!
//! The file is TOML with the keys below at the top level. A key the server
//! does not know is an error naming it (a misspelt `tls_cert` must not
//! silently leave the server on plain HTTP), as is a value of the wrong
//! type; relative paths in it are relative to the file's folder. An
//! environment variable set to the empty string counts as not set.
//!
//! Every key is declared once, in the `settings!` list below: its
//! name (the TOML key; the flag is the same with `-`), its type and its
//! environment variable. Adding a key is one entry there (its help line
//! and its declaration), plus its use in [`Settings`].

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::RateLimit;

/// The environment variable naming the configuration file.
pub const CONFIG_ENV: &str = "PHARMAPOS_SERVER_CONFIG";

/// Where the server listens unless told otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8750";

macro_rules! settings {
    ($( $(#[doc = $doc:literal])* $key:ident : $ty:ty = $env:literal ),* $(,)?) => {
        /// One place's settings (flags, environment or file): each key set
        /// there or not.
        #[derive(Clone, Debug, Default, PartialEq, Eq, clap::Args, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Layer {
            $(
                $(#[doc = $doc])*
                #[arg(long, global = true, help = concat!($($doc,)* " [env: ", $env, "]"))]
                pub $key: Option<$ty>,
            )*
        }

        impl Layer {
            /// The settings in the environment, read through `var` (the
            /// process's environment in the server; a table in tests).
            pub fn from_env(var: impl Fn(&str) -> Option<OsString>) -> anyhow::Result<Layer> {
                Ok(Layer { $( $key: from_var(&var, $env)?, )* })
            }

            /// This layer's keys, and `below`'s where this one has none.
            pub fn over(self, below: Layer) -> Layer {
                Layer { $( $key: self.$key.or(below.$key), )* }
            }
        }

        /// Each key's environment variable.
        pub const ENV_VARS: &[(&str, &str)] = &[ $( (stringify!($key), $env), )* ];
    };
}

// `#[doc = "…"]` rather than `///`: the text also makes the flag's help
// (with its variable appended), where `///`'s leading space would show.
settings! {
    #[doc = "PostgreSQL connection string (a libpq URL or key=value string)"]
    database_url: String = "PHARMAPOS_SERVER_DATABASE_URL",
    #[doc = "Address to listen on [default: 127.0.0.1:8750]"]
    listen: String = "PHARMAPOS_SERVER_LISTEN",
    #[doc = "Requests a second each caller (a store, an admin) may make [default: 50]"]
    rate: u32 = "PHARMAPOS_SERVER_RATE",
    #[doc = "Requests a caller may make at once above that rate [default: 100]"]
    burst: u32 = "PHARMAPOS_SERVER_BURST",
    #[doc = "The server's TLS certificate chain (PEM); with --tls-key, serve HTTPS"]
    tls_cert: PathBuf = "PHARMAPOS_SERVER_TLS_CERT",
    #[doc = "The private key of --tls-cert (PEM)"]
    tls_key: PathBuf = "PHARMAPOS_SERVER_TLS_KEY",
    #[doc = "A streaming replica's connection string: head office's read-only views read there; stores' sync and every write use the primary"]
    read_url: String = "PHARMAPOS_SERVER_READ_URL",
}

fn from_var<T: std::str::FromStr>(
    var: &impl Fn(&str) -> Option<OsString>,
    name: &str,
) -> anyhow::Result<Option<T>>
where
    T::Err: std::fmt::Display,
{
    let Some(raw) = var(name) else {
        return Ok(None);
    };
    let text = raw
        .into_string()
        .map_err(|_| anyhow::anyhow!("{name} is not valid UTF-8"))?;
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|e| anyhow::anyhow!("{name}={text:?}: {e}"))
}

impl Layer {
    /// The settings in the TOML file at `path` (relative paths in it made
    /// relative to its folder).
    pub fn from_file(path: &Path) -> anyhow::Result<Layer> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            anyhow::anyhow!("cannot read the configuration file {}: {e}", path.display())
        })?;
        let mut layer = Layer::from_toml(&text)
            .map_err(|e| anyhow::anyhow!("the configuration file {}: {e}", path.display()))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        for file in [&mut layer.tls_cert, &mut layer.tls_key]
            .into_iter()
            .flatten()
        {
            *file = dir.join(&*file);
        }
        Ok(layer)
    }

    /// The settings in a TOML document; an unknown key is an error naming it.
    pub fn from_toml(text: &str) -> anyhow::Result<Layer> {
        // toml's message starts with the line and column, then the key.
        toml::from_str(text).map_err(|e| anyhow::anyhow!("{}", e.to_string().trim_end()))
    }
}

/// The certificate and key the server serves HTTPS with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsFiles {
    /// The certificate chain (PEM).
    pub cert: PathBuf,
    /// Its private key (PEM).
    pub key: PathBuf,
}

/// The settings a run of the server uses, every place and default applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The database's connection string.
    pub database_url: String,
    /// The address to listen on.
    pub listen: String,
    /// The rate limit per caller.
    pub limit: RateLimit,
    /// HTTPS with these files, or plain HTTP (behind a proxy that
    /// terminates TLS) when `None`.
    pub tls: Option<TlsFiles>,
    /// Where head office's read-only views read (a streaming replica);
    /// the primary when `None`.
    pub read_url: Option<String>,
}

/// The settings from `flags`, the environment read through `var`, and the
/// configuration file (`config`, else the one [`CONFIG_ENV`] names, if any),
/// over the defaults.
pub fn resolve(
    config: Option<&Path>,
    flags: Layer,
    var: impl Fn(&str) -> Option<OsString>,
) -> anyhow::Result<Settings> {
    let env = Layer::from_env(&var)?;
    let config = match config {
        Some(path) => Some(path.to_path_buf()),
        None => from_var::<PathBuf>(&var, CONFIG_ENV)?,
    };
    let file = match config {
        Some(path) => Layer::from_file(&path)?,
        None => Layer::default(),
    };
    let all = flags.over(env).over(file);
    let database_url = all.database_url.ok_or_else(|| {
        anyhow::anyhow!(
            "no database: give --database-url, PHARMAPOS_SERVER_DATABASE_URL or database_url in the configuration file"
        )
    })?;
    let defaults = RateLimit::default();
    let limit = RateLimit {
        per_second: all.rate.unwrap_or(defaults.per_second),
        burst: all.burst.unwrap_or(defaults.burst),
    };
    anyhow::ensure!(
        limit.per_second >= 1 && limit.burst >= 1,
        "rate and burst must be at least 1 (got rate {}, burst {})",
        limit.per_second,
        limit.burst
    );
    let tls = match (all.tls_cert, all.tls_key) {
        (Some(cert), Some(key)) => Some(TlsFiles { cert, key }),
        (None, None) => None,
        (cert, _) => anyhow::bail!(
            "TLS needs both a certificate and its key (--tls-cert and --tls-key, or tls_cert and tls_key): only the {} was given",
            if cert.is_some() { "certificate" } else { "key" }
        ),
    };
    Ok(Settings {
        database_url,
        listen: all.listen.unwrap_or_else(|| DEFAULT_LISTEN.to_string()),
        limit,
        tls,
        read_url: all.read_url,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let map: HashMap<String, OsString> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        move |k| map.get(k).cloned()
    }

    fn file(dir: &Path, text: &str) -> PathBuf {
        let path = dir.join("server.toml");
        std::fs::write(&path, text).unwrap();
        path
    }

    fn flags(listen: Option<&str>) -> Layer {
        Layer {
            listen: listen.map(str::to_string),
            ..Layer::default()
        }
    }

    const DB: (&str, &str) = ("PHARMAPOS_SERVER_DATABASE_URL", "host=db");

    #[test]
    fn a_flag_beats_the_environment_which_beats_the_file_which_beats_the_default() {
        let dir = tempfile::tempdir().unwrap();
        let conf = file(
            dir.path(),
            "listen = \"0.0.0.0:1\"\nrate = 7\ndatabase_url = \"host=file\"\n",
        );
        let listen_env = ("PHARMAPOS_SERVER_LISTEN", "0.0.0.0:2");
        let listen = |flag: Option<&str>, vars: &[(&str, &str)], conf: Option<&Path>| {
            resolve(conf, flags(flag), env(vars)).unwrap().listen
        };
        // All four places set: the flag.
        assert_eq!(
            listen(Some("0.0.0.0:3"), &[DB, listen_env], Some(&conf)),
            "0.0.0.0:3"
        );
        // No flag: the environment.
        assert_eq!(listen(None, &[DB, listen_env], Some(&conf)), "0.0.0.0:2");
        // Nor the environment: the file.
        assert_eq!(listen(None, &[DB], Some(&conf)), "0.0.0.0:1");
        // Nothing: the default.
        assert_eq!(listen(None, &[DB], None), DEFAULT_LISTEN);
        // An empty variable is not set.
        assert_eq!(
            listen(None, &[DB, ("PHARMAPOS_SERVER_LISTEN", "")], Some(&conf)),
            "0.0.0.0:1"
        );

        // Key by key: the rate from the file, the burst by default, the
        // database from the environment over the file's.
        let s = resolve(Some(&conf), Layer::default(), env(&[DB])).unwrap();
        assert_eq!(
            s.limit,
            RateLimit {
                per_second: 7,
                burst: RateLimit::default().burst
            }
        );
        assert_eq!(s.database_url, "host=db");
        let s = resolve(Some(&conf), Layer::default(), env(&[])).unwrap();
        assert_eq!(s.database_url, "host=file");
        assert_eq!(s.tls, None);
    }

    #[test]
    fn the_file_comes_from_the_flag_or_else_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        let conf_a = file(&a, "listen = \"0.0.0.0:1\"\n");
        let conf_b = file(&b, "listen = \"0.0.0.0:2\"\n");
        let by_env = [DB, (CONFIG_ENV, conf_b.to_str().unwrap())];
        let s = resolve(Some(&conf_a), Layer::default(), env(&by_env)).unwrap();
        assert_eq!(s.listen, "0.0.0.0:1");
        let s = resolve(None, Layer::default(), env(&by_env)).unwrap();
        assert_eq!(s.listen, "0.0.0.0:2");
    }

    #[test]
    fn tls_files_come_in_pairs_from_any_place_and_relative_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let conf = file(
            dir.path(),
            "tls_cert = \"certs/server.pem\"\ntls_key = \"/etc/pharmapos/key.pem\"\n",
        );
        let s = resolve(Some(&conf), Layer::default(), env(&[DB])).unwrap();
        assert_eq!(
            s.tls,
            Some(TlsFiles {
                cert: dir.path().join("certs/server.pem"),
                key: PathBuf::from("/etc/pharmapos/key.pem"),
            })
        );
        // The environment overrides one of the pair.
        let s = resolve(
            Some(&conf),
            Layer::default(),
            env(&[DB, ("PHARMAPOS_SERVER_TLS_KEY", "k.pem")]),
        )
        .unwrap();
        assert_eq!(s.tls.unwrap().key, PathBuf::from("k.pem"));
        // One without the other is refused, whichever is missing.
        for (var, missing) in [
            ("PHARMAPOS_SERVER_TLS_CERT", "only the certificate"),
            ("PHARMAPOS_SERVER_TLS_KEY", "only the key"),
        ] {
            let e = resolve(None, Layer::default(), env(&[DB, (var, "x.pem")])).unwrap_err();
            assert!(e.to_string().contains(missing), "{e}");
        }
    }

    #[test]
    fn an_unknown_key_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let conf = file(dir.path(), "listen = \"0.0.0.0:1\"\ntls_crt = \"a.pem\"\n");
        let e = resolve(Some(&conf), Layer::default(), env(&[DB]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown field `tls_crt`"), "{e}");
        assert!(e.contains(&conf.display().to_string()), "{e}");
    }

    #[test]
    fn bad_values_are_errors_not_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let conf = file(dir.path(), "rate = \"fast\"\n");
        let e = resolve(Some(&conf), Layer::default(), env(&[DB])).unwrap_err();
        assert!(e.to_string().contains("rate"), "{e}");
        let e = resolve(
            None,
            Layer::default(),
            env(&[DB, ("PHARMAPOS_SERVER_BURST", "-3")]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("PHARMAPOS_SERVER_BURST"), "{e}");
        let e = resolve(
            None,
            Layer::default(),
            env(&[DB, ("PHARMAPOS_SERVER_RATE", "0")]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("at least 1"), "{e}");
        let e = resolve(
            Some(&dir.path().join("none.toml")),
            Layer::default(),
            env(&[DB]),
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("cannot read the configuration file"),
            "{e}"
        );
        let e = resolve(None, Layer::default(), env(&[])).unwrap_err();
        assert!(e.to_string().contains("no database"), "{e}");
    }

    #[test]
    fn every_key_has_a_variable_of_its_name() {
        for (key, var) in ENV_VARS {
            assert_eq!(
                *var,
                format!("PHARMAPOS_SERVER_{}", key.to_ascii_uppercase())
            );
        }
    }
}
