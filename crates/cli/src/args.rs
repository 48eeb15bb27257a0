//! The command line: every command and its arguments.

use super::common::{DbArg, parse_role};
use super::org_cmd::OrgCommand;
use crate::{calendar_cmd, cluster_cmd, movement_cmd, person_cmd, registry_cmd};
use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use thidua_domain::policy::Role;

#[derive(Parser)]
#[command(
    name = "thidua",
    version,
    about = "thidua — emulation movements and commendations (thi đua – khen thưởng) for Vietnamese provinces"
)]
pub(super) struct Cli {
    #[command(flatten)]
    pub(super) db: DbArg,
    #[command(subcommand)]
    pub(super) command: Command,
}

#[derive(Subcommand)]
pub(super) enum Command {
    /// Start the web server (Vietnamese UI)
    Serve {
        /// Address to listen on
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Seed the demo data first (see `thidua demo`)
        #[arg(long)]
        demo: bool,
        /// Served behind a TLS proxy: mark cookies Secure
        #[arg(long)]
        behind_tls: bool,
        /// Login attempts allowed per client address per minute
        #[arg(long, default_value_t = 20)]
        logins_per_minute: u32,
        /// A reverse proxy whose X-Forwarded-For names the client (repeat for several; comma-separated in the variable)
        #[arg(
            long = "trusted-proxy",
            env = "THIDUA_TRUSTED_PROXIES",
            value_delimiter = ','
        )]
        trusted_proxies: Vec<std::net::IpAddr>,
        /// The bearer token /metrics asks for (without one, only this machine may read it)
        #[arg(long, env = "THIDUA_METRICS_TOKEN", hide_env_values = true)]
        metrics_token: Option<String>,
        /// A PostgreSQL hot-standby replica for read-only pages (registry search, statistics, reports, public pages); repeat for several
        #[arg(long = "db-replica")]
        db_replicas: Vec<String>,
    },
    /// Seed demo data: official units plus organisations and people of Lâm Đồng, Cao Bằng, Thái Nguyên and Đà Nẵng
    Demo,
    /// Import data files
    #[command(subcommand)]
    Import(ImportCommand),
    /// The organisation registry (đơn vị): units as of a date
    #[command(subcommand)]
    Org(OrgCommand),
    /// People (cá nhân): search, add, show, transfer, end a stint
    #[command(subcommand)]
    Person(person_cmd::PersonCommand),
    /// Staff lists (danh sách cán bộ): the XLSX template and its import
    #[command(subcommand)]
    Staff(person_cmd::StaffCommand),
    /// Accounts (tài khoản)
    #[command(subcommand)]
    User(UserCommand),
    /// API tokens for programs
    #[command(subcommand)]
    Token(TokenCommand),
    /// The append-only audit log (nhật ký thay đổi)
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Emulation movements (phong trào thi đua): list, show, import/export as TOML, lifecycle
    #[command(subcommand)]
    Movement(movement_cmd::MovementCommand),
    /// Indicator values: import from CSV/XLSX, entry templates
    #[command(subcommand)]
    Values(movement_cmd::ValuesCommand),
    /// Reports: a movement's figures for a unit and a day
    #[command(subcommand)]
    Report(movement_cmd::ReportCommand),
    /// Eligibility (xét điều kiện khen thưởng): judge a history against the law, with the articles
    #[command(subcommand)]
    Eligibility(EligibilityCommand),
    /// The working-day calendar (lịch làm việc): add working days, list a year's days off
    #[command(subcommand)]
    Calendar(calendar_cmd::CalendarCommand),
    /// Nomination dossiers (hồ sơ đề nghị khen thưởng)
    #[command(subcommand)]
    Dossier(calendar_cmd::DossierCommand),
    /// Decisions (quyết định khen thưởng): list, and print as PDF/DOCX or certificates
    #[command(subcommand)]
    Decision(registry_cmd::DecisionCommand),
    /// The award registry (sổ khen thưởng): search
    #[command(subcommand)]
    Registry(registry_cmd::RegistryCommand),
    /// Statistics (thống kê khen thưởng)
    #[command(subcommand)]
    Stats(registry_cmd::StatsCommand),
    /// Emulation blocks and clusters (khối, cụm thi đua): list, ranking
    #[command(subcommand)]
    Cluster(cluster_cmd::ClusterCommand),
    /// Benchmarks (not tests): print timings of this machine
    #[command(subcommand)]
    Bench(BenchCommand),
    /// The configuration: `config check` prints what is in effect and where each value came from
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Back up the database named by --db into FILE (a tar with a manifest of checksums), while the server runs
    Backup {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Restore FILE (from `thidua backup`) into the empty database named by --db, then check it against the manifest
    Restore {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Copy a database from SQLite to an empty PostgreSQL database, all or nothing, then check counts, files and the audit chain
    MigrateData {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub(super) enum ConfigCommand {
    /// Print the effective configuration, each value's source and meaning (secrets hidden); exits 1 if it does not read
    Check {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub(super) enum EligibilityCommand {
    /// Read a request (JSON: subject, proposed, year, decision_date, history) and print the verdict as JSON
    Check {
        /// The request file, or - for standard input
        file: PathBuf,
    },
    /// Judge every person of the registry (or of a unit's subtree, on both maps) for one award and year in one pass: counts and the eligible people
    Sweep {
        /// The award's code (CHIEN_SI_THI_DUA_TINH, BANG_KHEN_THU_TUONG, …)
        #[arg(long)]
        code: String,
        #[arg(long)]
        year: i32,
        /// The decision's day (dd/mm/yyyy), which selects the rules; default 01/03 of the next year
        #[arg(long)]
        decided: Option<String>,
        /// A unit's code or name: only the people who ever stood in its subtree
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub(super) enum UserCommand {
    /// Create an account. The password comes from --password, else THIDUA_PASSWORD, else a random one is printed
    Add {
        #[arg(long)]
        login: String,
        /// Full name (họ và tên)
        #[arg(long)]
        name: String,
        /// admin, province-officer, unit-officer, council-member, leader or viewer
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Code of the unit the account works in (its subtree is its scope); not needed for admin
        #[arg(long)]
        unit: Option<String>,
        #[arg(long, env = "THIDUA_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// List accounts
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub(super) enum TokenCommand {
    /// Create an API token for an account; printed once
    Create {
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
    },
}

#[derive(Subcommand)]
pub(super) enum AuditCommand {
    /// Recompute the hash chain of the whole log; name the first broken entry
    Verify,
}

#[derive(Subcommand)]
pub(super) enum ImportCommand {
    /// Load the official administrative units (đơn vị hành chính) before and after 01/07/2025 (see data/admin_units/README.md); idempotent
    AdminUnits {
        /// Directory holding the six CSV files; without it, the lists built into this program
        dir: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub(super) enum BenchCommand {
    /// Load test on loopback: N concurrent sessions on the organisation page, the API list, a movement dashboard and the public posting page, with resident memory before and after (seeds the demo if the database is empty)
    Load {
        /// Concurrent sessions, each with its own cookie
        #[arg(long, default_value_t = 200)]
        sessions: usize,
        /// Seconds per endpoint
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        #[arg(long)]
        json: bool,
    },
    /// A working day compressed: clients of three roles on dashboards, registry search, the organisation, dossiers, the public page, value entry and logins at once; p50/p99 per kind, errors, memory (seeds the demo if the database is empty)
    Mixed {
        #[arg(long, default_value_t = 100)]
        clients: usize,
        #[arg(long, default_value_t = 300)]
        seconds: u64,
        #[arg(long)]
        json: bool,
    },
    /// The movement dashboard of a whole province over HTTP: first view after start-up and repeated views, on both maps, against the 100 ms target (seeds the demo if the database is empty)
    Dashboard {
        /// Repeated views of each dashboard
        #[arg(long, default_value_t = 20)]
        runs: usize,
        #[arg(long)]
        json: bool,
    },
    /// Time the national roll-up: 19 criteria × every commune × N years, entered and approved, then reported (imports the official units if the database is empty)
    Rollup {
        #[arg(long, default_value_t = 5)]
        years: usize,
        /// Report repetitions
        #[arg(long, default_value_t = 5)]
        runs: usize,
        #[arg(long)]
        json: bool,
    },
    /// Verdicts per second of the eligibility engine over a generated registry (no database)
    Eligibility {
        #[arg(long, default_value_t = 100_000)]
        people: usize,
        #[arg(long)]
        json: bool,
    },
    /// Registry search latency (p50/p99) on a generated province registry, and the bulk load rate (use a throw-away database)
    Search {
        #[arg(long, default_value_t = 300_000)]
        people: usize,
        #[arg(long, default_value_t = 3_000_000)]
        awards: usize,
        /// Repetitions of each query
        #[arg(long, default_value_t = 50)]
        runs: usize,
        /// Keep the registry an earlier run loaded into this database (no load rate then)
        #[arg(long)]
        reuse: bool,
        /// Rows of the generated XLSX whose import is timed
        #[arg(long, default_value_t = 20_000)]
        import_rows: usize,
        #[arg(long)]
        json: bool,
    },
    /// Generate a realistic registry (province ≈ 100 000 people, national ≈ 2,5 million) into the empty database --db names, with each engine's bulk load
    Generate {
        /// province or national
        #[arg(long, default_value = "province")]
        scale: String,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// A given number of people in one province instead (the test suite's short run)
        #[arg(long, hide = true)]
        people: Option<u64>,
        #[arg(long)]
        json: bool,
    },
    /// thidua's sweep and name index against the same questions in SQL on PostgreSQL, SQLite and DuckDB, on the same generated data; exits 1 if any answer differs
    Run {
        /// province or national
        #[arg(long, default_value = "province")]
        scale: String,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// A given number of people in one province instead (the test suite's short run)
        #[arg(long, hide = true)]
        people: Option<u64>,
        /// Runs of each figure (the median is reported)
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// PostgreSQL server for the peer (admin URL; default $THIDUA_BENCH_PG, else $THIDUA_TEST_PG)
        #[arg(long)]
        pg: Option<String>,
        /// Where the generated SQLite database and the DuckDB files are kept between runs
        #[arg(long)]
        dir: Option<std::path::PathBuf>,
        /// Generate again even if the directory holds this scale and seed
        #[arg(long)]
        fresh: bool,
        #[arg(long)]
        json: bool,
    },
    /// Time the full official import and as-of subtree queries of whole provinces (needs an empty database)
    Registry {
        /// Query repetitions
        #[arg(long, default_value_t = 50)]
        runs: usize,
        #[arg(long)]
        json: bool,
    },
}
