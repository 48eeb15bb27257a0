//! The list of dossiers is drawn in SQL and paged, and holds exactly what
//! the policy lets each account see, on both engines.

use super::*;

/// The ids `user` sees through the paged list, all pages.
async fn listed(store: &Store, user: &UserRow, states: &[DossierState]) -> Vec<DossierId> {
    let mut ids = Vec::new();
    let mut offset = 0;
    loop {
        let (page, total) = crate::dossiers::list(
            store,
            user,
            TODAY,
            &crate::dossiers::DossierFilter {
                states: states.to_vec(),
                ..Default::default()
            },
            offset,
            2,
        )
        .await
        .unwrap();
        assert!(page.len() <= 2);
        ids.extend(page.iter().map(|d| d.id));
        offset += 2;
        if offset >= total {
            assert_eq!(ids.len() as i64, total, "the count matches the rows");
            return ids;
        }
    }
}

engine_tests!(the_list_holds_what_the_policy_shows, |store| async move {
    let w = world(store).await;
    let (sent, ..) = submitted(store, &w).await;
    let mut drafts = Vec::new();
    for n in 0..3 {
        let who = who_of(&w.unit_officer);
        let b = by(&w.unit_officer, &who, TODAY);
        let mut h = header(None);
        h.title = format!("Dự thảo {n}");
        drafts.push(create(store, &b, w.commune, &h).await.unwrap());
    }
    let who = who_of(&w.other_officer);
    let other_draft = create(
        store,
        &by(&w.other_officer, &who, TODAY),
        w.other,
        &header(None),
    )
    .await
    .unwrap();
    let province = w.appraiser.unit_id.unwrap();
    let who = who_of(&w.appraiser);
    let office_draft = create(
        store,
        &by(&w.appraiser, &who, TODAY),
        province,
        &header(None),
    )
    .await
    .unwrap();

    // Newest first, every page of two.
    let mut own = drafts.clone();
    own.push(sent);
    own.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(listed(store, &w.unit_officer, &[]).await, own);
    assert_eq!(
        listed(store, &w.unit_officer, &[DossierState::Draft]).await,
        own.iter()
            .copied()
            .filter(|id| *id != sent)
            .collect::<Vec<_>>()
    );
    assert_eq!(listed(store, &w.other_officer, &[]).await, [other_draft]);
    // The province's officers see what was sent and their office's own
    // drafts, never a commune's draft; the leader and the council only
    // what was sent.
    assert_eq!(
        listed(store, &w.appraiser2, &[]).await,
        [office_draft, sent]
    );
    assert_eq!(listed(store, &w.leader, &[]).await, [sent]);
    assert_eq!(listed(store, &w.members[0], &[]).await, [sent]);

    // And for everyone: exactly the dossiers the policy lets them open.
    let every = store.dossiers().await.unwrap();
    for user in [
        &w.unit_officer,
        &w.other_officer,
        &w.appraiser,
        &w.appraiser2,
        &w.members[0],
        &w.leader,
    ] {
        let mut expected = Vec::new();
        for d in &every {
            if access(store, user, d, TODAY).await.unwrap().view {
                expected.push(d.id);
            }
        }
        assert_eq!(listed(store, user, &[]).await, expected, "{}", user.login);
    }
});
