//! One configuration, read in order: the built-in defaults, the TOML file
//! (`--config`, `THIDUA_CONFIG`, else `/etc/thidua/thidua.toml` when it
//! exists), `THIDUA_*` environment variables, then what the command line
//! says explicitly. `thidua config check` prints what is in effect and
//! where each value came from, secrets hidden.

use anyhow::{Result, anyhow};
use clap::ArgMatches;
use clap::parser::ValueSource;
use figment::providers::{Env, Format, Serialized, Toml};
use figment::value::{Dict, Map};
use figment::{Figment, Metadata, Profile, Provider};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

/// Where the file is looked for when neither `--config` nor
/// `THIDUA_CONFIG` names one.
pub const SYSTEM_FILE: &str = "/etc/thidua/thidua.toml";

/// Every setting, with its default.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub db: String,
    pub addr: SocketAddr,
    pub behind_tls: bool,
    pub logins_per_minute: u32,
    pub trusted_proxies: Vec<IpAddr>,
    pub metrics_token: Option<String>,
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            db: crate::common::DEFAULT_DB.to_owned(),
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            behind_tls: false,
            logins_per_minute: 20,
            trusted_proxies: Vec::new(),
            metrics_token: None,
            log_format: LogFormat::Text,
        }
    }
}

/// The settings, what each means, and whether it is a secret.
pub const DOCUMENTED: [(&str, &str, bool); 7] = [
    (
        "db",
        "Cơ sở dữ liệu: đường dẫn tệp SQLite (sqlite://…) hoặc postgres://…",
        true,
    ),
    ("addr", "Địa chỉ máy chủ web lắng nghe", false),
    (
        "behind_tls",
        "Chạy sau proxy TLS: cookie gắn cờ Secure",
        false,
    ),
    (
        "logins_per_minute",
        "Số lần đăng nhập mỗi phút cho một địa chỉ",
        false,
    ),
    (
        "trusted_proxies",
        "Proxy được tin tưởng: X-Forwarded-For của chúng cho biết địa chỉ người dùng",
        false,
    ),
    (
        "metrics_token",
        "Mã Bearer để đọc /metrics (không đặt: chỉ đọc từ chính máy chủ)",
        true,
    ),
    ("log_format", "Nhật ký vận hành: text hoặc json", false),
];

/// Values under a name of our own (the defaults, the command line, a
/// comma-separated variable), so `config check` can say where they came from.
struct Named {
    name: String,
    values: Dict,
}

impl Provider for Named {
    fn metadata(&self) -> Metadata {
        Metadata::named(self.name.clone())
    }

    fn data(&self) -> figment::Result<Map<Profile, Dict>> {
        Ok(Map::from([(Profile::Default, self.values.clone())]))
    }
}

fn named(name: impl Into<String>, key: &str, value: impl Serialize) -> Result<Named> {
    let value = figment::value::Value::serialize(value).map_err(|e| anyhow!("{e}"))?;
    Ok(Named {
        name: name.into(),
        values: Dict::from([(key.to_owned(), value)]),
    })
}

/// The loaded configuration and where it came from.
pub struct Loaded {
    pub settings: Settings,
    pub file: Option<PathBuf>,
    figment: Figment,
}

/// Reads the configuration. `matches` is the whole command line: only
/// what it gives explicitly overrides the file and the environment.
pub fn load(matches: &ArgMatches) -> Result<Loaded> {
    let file = matches
        .get_one::<PathBuf>("config")
        .cloned()
        .or_else(|| Some(PathBuf::from(SYSTEM_FILE)).filter(|p| p.exists()));
    let mut figment = Figment::new().merge(Named {
        name: "mặc định".to_owned(),
        values: match Serialized::defaults(Settings::default()).data() {
            Ok(mut m) => m.remove(&Profile::Default).unwrap_or_default(),
            Err(e) => return Err(anyhow!("{e}")),
        },
    });
    if let Some(path) = &file {
        if !path.exists() {
            return Err(anyhow!("không có tệp cấu hình {}", path.display()));
        }
        figment = figment.merge(Toml::file_exact(path));
    }
    figment = figment.merge(Env::prefixed("THIDUA_").only(&[
        "db",
        "addr",
        "behind_tls",
        "logins_per_minute",
        "metrics_token",
        "log_format",
    ]));
    // A list in one variable, comma-separated, as the README says.
    if let Ok(list) = std::env::var("THIDUA_TRUSTED_PROXIES") {
        let ips = list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpAddr>()
                    .map_err(|_| anyhow!("THIDUA_TRUSTED_PROXIES: «{s}» không phải địa chỉ IP"))
            })
            .collect::<Result<Vec<_>>>()?;
        figment = figment.merge(named(
            "biến môi trường THIDUA_TRUSTED_PROXIES",
            "trusted_proxies",
            ips,
        )?);
    }
    figment = given_on_command_line(figment, matches)?;
    let settings: Settings = figment
        .extract()
        .map_err(|e| anyhow!("cấu hình không hợp lệ: {e}"))?;
    Ok(Loaded {
        settings,
        file,
        figment,
    })
}

fn given_on_command_line(mut figment: Figment, matches: &ArgMatches) -> Result<Figment> {
    let explicit = |m: &ArgMatches, id: &str| m.value_source(id) == Some(ValueSource::CommandLine);
    if explicit(matches, "db")
        && let Some(v) = matches.get_one::<String>("db")
    {
        figment = figment.merge(named("dòng lệnh --db", "db", v)?);
    }
    if let Some(serve) = matches.subcommand_matches("serve") {
        if explicit(serve, "addr")
            && let Some(v) = serve.get_one::<SocketAddr>("addr")
        {
            figment = figment.merge(named("dòng lệnh --addr", "addr", v)?);
        }
        if explicit(serve, "behind_tls") {
            figment = figment.merge(named("dòng lệnh --behind-tls", "behind_tls", true)?);
        }
        if explicit(serve, "logins_per_minute")
            && let Some(v) = serve.get_one::<u32>("logins_per_minute")
        {
            figment = figment.merge(named(
                "dòng lệnh --logins-per-minute",
                "logins_per_minute",
                v,
            )?);
        }
        if explicit(serve, "trusted_proxies") {
            let v: Vec<IpAddr> = serve
                .get_many::<IpAddr>("trusted_proxies")
                .map(|v| v.copied().collect())
                .unwrap_or_default();
            figment = figment.merge(named("dòng lệnh --trusted-proxy", "trusted_proxies", v)?);
        }
        if explicit(serve, "metrics_token")
            && let Some(v) = serve.get_one::<String>("metrics_token")
        {
            figment = figment.merge(named("dòng lệnh --metrics-token", "metrics_token", v)?);
        }
    }
    Ok(figment)
}

/// One line of `config check`.
#[derive(Debug, Serialize)]
pub struct Effective {
    pub name: &'static str,
    pub value: serde_json::Value,
    pub source: String,
    pub description: &'static str,
}

impl Loaded {
    /// Every setting in effect with its source; secrets shown as «***».
    pub fn effective(&self) -> Vec<Effective> {
        let json = serde_json::to_value(&self.settings).unwrap_or_default();
        DOCUMENTED
            .iter()
            .map(|(name, description, secret)| {
                let raw = json.get(*name).cloned().unwrap_or_default();
                let value = match (*secret, &raw) {
                    (_, serde_json::Value::Null) => raw,
                    (true, serde_json::Value::String(s)) if *name == "db" => {
                        serde_json::Value::String(thidua_store::redact(s))
                    }
                    (true, _) => serde_json::Value::String("***".to_owned()),
                    (false, _) => raw,
                };
                Effective {
                    name,
                    value,
                    source: self.source_of(name),
                    description,
                }
            })
            .collect()
    }

    fn source_of(&self, key: &str) -> String {
        let Some(m) = self.figment.find_metadata(key) else {
            return "mặc định".to_owned();
        };
        match &m.source {
            Some(figment::Source::File(p)) => format!("tệp {}", p.display()),
            _ if m.name.contains("environment") => {
                format!("biến môi trường THIDUA_{}", key.to_uppercase())
            }
            _ => m.name.to_string(),
        }
    }
}
