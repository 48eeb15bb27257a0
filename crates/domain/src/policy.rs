//! Who may do what: the one policy every page and API call passes.
//!
//! The decision is pure. Callers say who acts (role and scope roots), what
//! they want to do, and what the object is — including the chain of units
//! the object sits under *today*, which the store computes. Handlers never
//! check roles themselves.

use crate::org::UnitId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Vai trò — what a user account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Quản trị hệ thống — accounts, tokens, audit; everything everywhere.
    Admin,
    /// Cán bộ Ban Thi đua – Khen thưởng / Sở Nội vụ — province-wide work.
    ProvinceOfficer,
    /// Cán bộ thi đua của đơn vị — one unit and the units under it.
    UnitOfficer,
    /// Thành viên Hội đồng Thi đua – Khen thưởng.
    CouncilMember,
    /// Lãnh đạo phê duyệt — the leader who approves and signs.
    Leader,
    /// Chỉ xem — read-only.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::ProvinceOfficer,
        Role::UnitOfficer,
        Role::CouncilMember,
        Role::Leader,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::ProvinceOfficer => "province_officer",
            Role::UnitOfficer => "unit_officer",
            Role::CouncilMember => "council_member",
            Role::Leader => "leader",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Result<Role, UnknownRole> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Quản trị hệ thống",
            Role::ProvinceOfficer => "Cán bộ thi đua tỉnh",
            Role::UnitOfficer => "Cán bộ thi đua đơn vị",
            Role::CouncilMember => "Thành viên Hội đồng TĐKT",
            Role::Leader => "Lãnh đạo phê duyệt",
            Role::Viewer => "Chỉ xem",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "vai trò không xác định: «{0}» (admin, province_officer, unit_officer, council_member, leader, viewer)"
)]
pub struct UnknownRole(pub String);

/// The acting user as the policy sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub role: Role,
    /// The units whose subtrees the actor works in, as of today: the
    /// account's unit, or what it became if it was reorganised.
    pub scope_roots: Vec<UnitId>,
}

/// What is being done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// See a unit, its people, its history.
    ViewUnit,
    /// Add a unit under a unit.
    CreateUnit,
    /// Rename or otherwise edit a unit.
    UpdateUnit,
    /// See people and search them.
    ViewPeople,
    /// Manage accounts (tài khoản).
    ManageUsers,
    /// Create and revoke API tokens.
    ManageTokens,
    /// Read the audit log (nhật ký).
    ViewAudit,
    /// Create, launch and review movements launched by a unit (phát động).
    ManageMovements,
    /// Enter a unit's indicator values and register it for movements.
    EnterValues,
    /// Approve or return a unit's values — the level above the unit.
    ApproveValues,
    /// Bình xét — run the annual title review of a unit's people.
    ReviewTitles,
    /// Edit the award catalogue (danh mục danh hiệu, hình thức khen thưởng).
    ManageCatalogue,
    /// Draft, submit, complete and withdraw a unit's nomination dossiers
    /// (hồ sơ đề nghị khen thưởng).
    ProposeAwards,
    /// Receive, appraise, post and forward dossiers (thẩm định) — Sở Nội vụ.
    AppraiseDossiers,
    /// Vote in the Emulation Council (biểu quyết).
    VoteInCouncil,
    /// Approve a dossier and sign its decision (phê duyệt).
    ApproveAwards,
    /// Edit the working-day calendar and the procedure's limits.
    ManageCalendar,
    /// Khối, cụm thi đua — set up a block or cluster, its scoring sheet and
    /// members, finalise its ranking and propose its leaders for the flag:
    /// the emulation office's work.
    ManageClusters,
    /// Score a member of a cluster (tự chấm, the head's and the deputy's
    /// stages): a member unit's officer, in their own scope.
    ScoreInCluster,
    /// Nhập sổ khen thưởng — bring awards of the paper registry into
    /// thidua, for the units of one's scope.
    ImportRegistry,
}

impl Action {
    pub const ALL: [Action; 20] = [
        Action::ViewUnit,
        Action::CreateUnit,
        Action::UpdateUnit,
        Action::ViewPeople,
        Action::ManageUsers,
        Action::ManageTokens,
        Action::ViewAudit,
        Action::ManageMovements,
        Action::EnterValues,
        Action::ApproveValues,
        Action::ReviewTitles,
        Action::ManageCatalogue,
        Action::ProposeAwards,
        Action::AppraiseDossiers,
        Action::VoteInCouncil,
        Action::ApproveAwards,
        Action::ManageCalendar,
        Action::ManageClusters,
        Action::ScoreInCluster,
        Action::ImportRegistry,
    ];
}

/// The object acted on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Object {
    /// A unit, with its chain of units from itself up to the root, as of
    /// today (for an ended unit: the chains of what it became, and its own).
    Unit { id: UnitId, chain: Vec<UnitId> },
    /// The system as a whole (accounts, tokens, the audit log).
    System,
}

/// Why an action was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("vai trò của bạn không được phép thực hiện thao tác này")]
    Role,
    #[error("đối tượng này nằm ngoài phạm vi đơn vị của bạn")]
    Scope,
}

/// Whether a role may ever take an action, scope aside.
pub fn role_allows(role: Role, action: Action) -> bool {
    use Action::*;
    use Role::*;
    match action {
        ViewUnit | ViewPeople => true,
        CreateUnit | UpdateUnit => matches!(role, Admin | ProvinceOfficer | UnitOfficer),
        ManageUsers | ManageTokens | ViewAudit | ManageCatalogue | ManageCalendar => role == Admin,
        ManageMovements | AppraiseDossiers | ManageClusters | ImportRegistry => {
            matches!(role, Admin | ProvinceOfficer)
        }
        EnterValues | ApproveValues | ReviewTitles | ProposeAwards | ScoreInCluster => {
            matches!(role, Admin | ProvinceOfficer | UnitOfficer)
        }
        VoteInCouncil => role == CouncilMember,
        ApproveAwards => matches!(role, Admin | Leader),
    }
}

/// A role whose scope is everywhere (the administrator): nothing it reads
/// or lists is limited to a subtree. Everyone else works in `scope_roots`,
/// and an account of theirs must belong to a unit.
pub fn unscoped(role: Role) -> bool {
    role == Role::Admin
}

/// Whether the account acts as the proposing side of a unit's dossier that
/// it is entitled to propose for: a province's officer is the appraising
/// side of every other unit's dossier, so they see another unit's unsent
/// draft no more than they are told of its steps as proposer.
pub fn proposes_for(role: Role, of_own_unit: bool) -> bool {
    role != Role::ProvinceOfficer || of_own_unit
}

/// Whether the account is told when work of `action` waits on it: the
/// administrator can act anywhere, but the work is not theirs.
pub fn told_of_work(role: Role, action: Action) -> bool {
    !unscoped(role) && role_allows(role, action)
}

/// Whether a decision drafted by this account is signed in its own name
/// (a leader's), rather than left for the signer to be named.
pub fn signs_in_own_name(role: Role) -> bool {
    role == Role::Leader
}

/// The policy. `Ok(())` allows.
pub fn authorize(actor: &Actor, action: Action, object: &Object) -> Result<(), Denied> {
    use Action::*;
    use Role::*;
    if !role_allows(actor.role, action) {
        return Err(Denied::Role);
    }
    if actor.role == Admin {
        return Ok(());
    }
    match object {
        Object::System => Err(Denied::Role),
        Object::Unit { id, chain } => {
            let inside = chain.iter().any(|u| actor.scope_roots.contains(u));
            if !inside {
                return Err(Denied::Scope);
            }
            // A unit officer works below their unit; the unit itself (its
            // name, its place in the tree) is the province's to change.
            // Likewise their own values are approved by the level above.
            if actor.role == UnitOfficer
                && matches!(action, UpdateUnit | ApproveValues)
                && actor.scope_roots.contains(id)
            {
                return Err(Denied::Scope);
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, root: i64) -> Actor {
        Actor {
            role,
            scope_roots: vec![UnitId(root)],
        }
    }

    fn unit(id: i64, chain: &[i64]) -> Object {
        Object::Unit {
            id: UnitId(id),
            chain: chain.iter().map(|i| UnitId(*i)).collect(),
        }
    }

    #[test]
    fn a_unit_officer_sees_their_subtree_only() {
        let a = actor(Role::UnitOfficer, 10);
        assert_eq!(
            authorize(&a, Action::ViewUnit, &unit(11, &[11, 10, 1])),
            Ok(())
        );
        assert_eq!(
            authorize(&a, Action::ViewUnit, &unit(20, &[20, 1])),
            Err(Denied::Scope)
        );
        assert_eq!(
            authorize(&a, Action::ViewUnit, &unit(1, &[1])),
            Err(Denied::Scope)
        );
        assert_eq!(
            authorize(&a, Action::CreateUnit, &unit(10, &[10, 1])),
            Ok(())
        );
        assert_eq!(
            authorize(&a, Action::UpdateUnit, &unit(10, &[10, 1])),
            Err(Denied::Scope)
        );
        assert_eq!(
            authorize(&a, Action::UpdateUnit, &unit(11, &[11, 10, 1])),
            Ok(())
        );
    }

    #[test]
    fn values_are_approved_by_the_level_above() {
        let commune = actor(Role::UnitOfficer, 10);
        assert_eq!(
            authorize(&commune, Action::EnterValues, &unit(10, &[10, 1])),
            Ok(())
        );
        assert_eq!(
            authorize(&commune, Action::ApproveValues, &unit(10, &[10, 1])),
            Err(Denied::Scope)
        );
        assert_eq!(
            authorize(&commune, Action::ApproveValues, &unit(11, &[11, 10, 1])),
            Ok(())
        );
        let province = actor(Role::ProvinceOfficer, 1);
        assert_eq!(
            authorize(&province, Action::ApproveValues, &unit(10, &[10, 1])),
            Ok(())
        );
        assert_eq!(
            authorize(&province, Action::ManageMovements, &unit(1, &[1])),
            Ok(())
        );
        assert_eq!(
            authorize(&commune, Action::ManageMovements, &unit(10, &[10, 1])),
            Err(Denied::Role)
        );
        assert_eq!(
            authorize(&province, Action::ManageMovements, &Object::System),
            Err(Denied::Role)
        );
    }

    #[test]
    fn read_only_roles_cannot_write() {
        for role in [Role::Viewer, Role::CouncilMember, Role::Leader] {
            let a = actor(role, 1);
            assert_eq!(authorize(&a, Action::ViewUnit, &unit(5, &[5, 1])), Ok(()));
            assert_eq!(
                authorize(&a, Action::CreateUnit, &unit(5, &[5, 1])),
                Err(Denied::Role)
            );
            assert_eq!(
                authorize(&a, Action::ViewAudit, &Object::System),
                Err(Denied::Role)
            );
        }
    }

    #[test]
    fn only_administrators_manage_the_system() {
        for role in Role::ALL {
            let a = actor(role, 1);
            for action in [Action::ManageUsers, Action::ManageTokens, Action::ViewAudit] {
                assert_eq!(
                    authorize(&a, action, &Object::System).is_ok(),
                    role == Role::Admin
                );
            }
        }
    }

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Ok(r));
        }
        assert!(Role::parse("root").is_err());
    }

    /// Role comparisons in Rust source: `== Role::…`, `Role::… !=`, and
    /// `matches!(…)` naming a role, with their line numbers.
    fn role_comparisons(text: &str) -> Vec<usize> {
        let line_of = |at: usize| text[..at].matches('\n').count() + 1;
        let mut found = Vec::new();
        for op in ["== Role::", "!= Role::", "==Role::", "!=Role::"] {
            found.extend(text.match_indices(op).map(|(at, _)| line_of(at)));
        }
        for (at, _) in text.match_indices("Role::") {
            let rest = text[at..]
                .trim_start_matches(|c: char| c.is_alphanumeric() || c == ':' || c == '_');
            if rest.trim_start().starts_with("==") || rest.trim_start().starts_with("!=") {
                found.push(line_of(at));
            }
        }
        for (at, _) in text.match_indices("matches!(") {
            let mut depth = 0;
            let end = text[at + 8..]
                .char_indices()
                .find(|(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(text.len(), |(i, _)| at + 8 + i);
            if text[at..end].contains("Role::") {
                found.push(line_of(at));
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Clusters and the registry import have words of their own: the
    /// office runs clusters and imports, a member's officer scores its own
    /// unit, and no one else does either.
    #[test]
    fn clusters_and_the_registry_import_have_their_own_words() {
        for role in [Role::Admin, Role::ProvinceOfficer] {
            assert!(role_allows(role, Action::ManageClusters));
            assert!(role_allows(role, Action::ImportRegistry));
        }
        for role in [
            Role::UnitOfficer,
            Role::CouncilMember,
            Role::Leader,
            Role::Viewer,
        ] {
            assert!(!role_allows(role, Action::ManageClusters), "{role:?}");
            assert!(!role_allows(role, Action::ImportRegistry), "{role:?}");
        }
        assert!(role_allows(Role::UnitOfficer, Action::ScoreInCluster));
        assert!(!role_allows(Role::Viewer, Action::ScoreInCluster));
        let officer = Actor {
            role: Role::UnitOfficer,
            scope_roots: vec![UnitId(10)],
        };
        let own = Object::Unit {
            id: UnitId(10),
            chain: vec![UnitId(10), UnitId(1)],
        };
        let other = Object::Unit {
            id: UnitId(20),
            chain: vec![UnitId(20), UnitId(1)],
        };
        assert_eq!(authorize(&officer, Action::ScoreInCluster, &own), Ok(()));
        assert_eq!(
            authorize(&officer, Action::ScoreInCluster, &other),
            Err(Denied::Scope)
        );
    }

    #[test]
    fn the_scanner_sees_each_way_of_comparing_a_role() {
        let sample = "let a = u.role == Role::Admin;\nlet b = Role::Leader != r;\nlet c = matches!(\n    s.user.role,\n    Role::Admin | Role::ProvinceOfficer\n);\nlet d = role_allows(r, Action::ViewUnit);\n";
        assert_eq!(role_comparisons(sample), [1, 2, 3]);
    }

    /// «One policy, one door»: who may do what is decided here, so no
    /// other source file of the workspace compares roles (tests aside).
    #[test]
    fn no_role_is_compared_outside_the_policy() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).expect("read_dir").flatten() {
                let path = entry.path();
                let name = entry.file_name().to_string_lossy().into_owned();
                if path.is_dir() {
                    if name != "tests" && name != "target" {
                        walk(&path, out);
                    }
                } else if name.ends_with(".rs")
                    && name != "tests.rs"
                    && !name.ends_with("_tests.rs")
                {
                    out.push(path);
                }
            }
        }
        let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("crates");
        let mut files = Vec::new();
        walk(crates, &mut files);
        assert!(files.len() > 50, "the workspace was found: {}", files.len());
        let mut offenders = Vec::new();
        for file in files {
            if file.ends_with("domain/src/policy.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&file).expect("source");
            // Inline test modules come last in a file.
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            for line in role_comparisons(code) {
                offenders.push(format!("{}:{line}", file.display()));
            }
        }
        assert!(
            offenders.is_empty(),
            "roles compared outside domain::policy (add a function there): {offenders:#?}"
        );
    }
}
