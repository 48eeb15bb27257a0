//! The policy's own tests, and the scan that keeps role comparisons in it.

use super::*;

fn actor(role: Role, root: i64) -> Actor {
    Actor {
        role,
        scope_roots: vec![UnitId(root)],
        unit: Some(UnitId(root)),
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
        let rest =
            text[at..].trim_start_matches(|c: char| c.is_alphanumeric() || c == ':' || c == '_');
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
        unit: Some(UnitId(10)),
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

fn dossier(unit_id: i64, chain: &[i64], sent: bool) -> DossierObject {
    DossierObject {
        unit: unit(unit_id, chain),
        sent,
    }
}

/// A draft is its unit's own: the commune and the levels above it that
/// propose see it, a province's officer only their own office's, and
/// the council, the leader and readers none until it is sent.
#[test]
fn an_unsent_dossier_is_its_units_own() {
    let draft = dossier(10, &[10, 1], false);
    let commune = actor(Role::UnitOfficer, 10);
    let rights = dossier_rights(&commune, &draft);
    assert!(rights.view);
    assert_eq!(rights.act, [Action::ProposeAwards]);
    let province = Actor {
        unit: Some(UnitId(2)),
        ..actor(Role::ProvinceOfficer, 1)
    };
    assert!(!dossier_rights(&province, &draft).view);
    assert!(dossier_rights(&province, &dossier(2, &[2, 1], false)).view);
    for role in [Role::CouncilMember, Role::Leader, Role::Viewer] {
        assert_eq!(
            dossier_rights(&actor(role, 1), &draft),
            DossierRights::default()
        );
    }
    let other = actor(Role::UnitOfficer, 20);
    assert!(!dossier_rights(&other, &draft).view);
    assert_eq!(unsent_listed(&commune), UnsentListed::InScope);
    assert_eq!(unsent_listed(&province), UnsentListed::OfUnit(UnitId(2)));
    assert_eq!(unsent_listed(&actor(Role::Leader, 1)), UnsentListed::None);
}

#[test]
fn a_sent_dossier_shows_each_side_its_part() {
    let sent = dossier(10, &[10, 1], true);
    let province = Actor {
        unit: Some(UnitId(2)),
        ..actor(Role::ProvinceOfficer, 1)
    };
    let rights = dossier_rights(&province, &sent);
    assert!(rights.view && !rights.vote);
    assert_eq!(
        rights.act,
        [Action::ProposeAwards, Action::AppraiseDossiers]
    );
    let council = dossier_rights(&actor(Role::CouncilMember, 1), &sent);
    assert!(council.view && council.vote && council.act.is_empty());
    assert_eq!(
        dossier_rights(&actor(Role::Leader, 1), &sent).act,
        [Action::ApproveAwards]
    );
    assert!(dossier_rights(&actor(Role::Viewer, 1), &sent).view);
    assert!(!dossier_rights(&actor(Role::Viewer, 20), &sent).view);
    // Told of work: not as proposer of another unit's dossier, and the
    // administrator never.
    assert!(!told_of_dossier_work(
        &province,
        Action::ProposeAwards,
        &sent
    ));
    assert!(told_of_dossier_work(
        &province,
        Action::AppraiseDossiers,
        &sent
    ));
    assert!(told_of_dossier_work(
        &actor(Role::UnitOfficer, 10),
        Action::ProposeAwards,
        &sent
    ));
    assert!(!told_of_dossier_work(
        &actor(Role::Admin, 1),
        Action::AppraiseDossiers,
        &sent
    ));
    assert!(told_of_dossier_work(
        &actor(Role::CouncilMember, 1),
        Action::VoteInCouncil,
        &sent
    ));
}

#[test]
fn decisions_are_seen_with_their_dossier_and_amended_over_their_issuer() {
    let issuer = Issuer::Unit(unit(1, &[1]));
    let on_dossier = |visible| DecisionObject::OnDossier {
        dossier_visible: visible,
        issuer: issuer.clone(),
    };
    let leader = actor(Role::Leader, 1);
    assert_eq!(
        decision_rights(&leader, &on_dossier(true)),
        DecisionRights {
            view: true,
            amend: true
        }
    );
    assert_eq!(
        decision_rights(&leader, &on_dossier(false)),
        DecisionRights::default()
    );
    let commune = actor(Role::UnitOfficer, 10);
    assert_eq!(
        decision_rights(&commune, &on_dossier(true)),
        DecisionRights {
            view: true,
            amend: false
        }
    );
    let provincial = DecisionObject::Provincial {
        issuer: issuer.clone(),
    };
    assert!(decision_rights(&actor(Role::Viewer, 1), &provincial).view);
    assert!(!decision_rights(&commune, &provincial).view);
    let gone = DecisionObject::Provincial {
        issuer: Issuer::Missing,
    };
    assert_eq!(
        decision_rights(&actor(Role::Admin, 1), &gone),
        DecisionRights::default()
    );
    let central = DecisionObject::Central {
        subjects: vec![unit(11, &[11, 10, 1])],
    };
    assert_eq!(
        decision_rights(&commune, &central),
        DecisionRights {
            view: true,
            amend: false
        }
    );
    assert!(!decision_rights(&actor(Role::UnitOfficer, 20), &central).view);
    assert!(decision_rights(&actor(Role::Admin, 1), &central).amend);
    assert!(!decision_rights(&leader, &central).amend);
}

#[test]
fn values_are_reopened_by_those_who_approve_them() {
    let commune = actor(Role::UnitOfficer, 10);
    let own = unit(10, &[10, 1]);
    let below = unit(11, &[11, 10, 1]);
    for object in [&own, &below] {
        assert_eq!(
            authorize(&commune, Action::ReopenValues, object),
            authorize(&commune, Action::ApproveValues, object)
        );
    }
    assert_eq!(
        authorize(&commune, Action::ReopenValues, &own),
        Err(Denied::Scope)
    );
    assert!(!role_allows(Role::Viewer, Action::ReopenValues));
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
            } else if name.ends_with(".rs") && name != "tests.rs" && !name.ends_with("_tests.rs") {
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
