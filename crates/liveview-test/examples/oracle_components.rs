//! Writes random sequences of a page of live components for the official-client oracle.
//!
//! Run with `cargo run -p liveview-test --example oracle_components -- <dir>`, then
//! `node tests/oracle/replay.mjs <dir>/*.json`.
//!
//! Each sequence mounts a view of groups of `Card` components, each holding nested `Leaf`
//! components, in the in-process harness, and changes it at random: labels, a conditional
//! part, cards added, removed and moved (within and across groups), leaves moved between cards,
//! the whole list hidden and shown, clicks inside a component (component-only diffs), and
//! windows where `cids_destroyed` is held so that hidden components are revived. Every diff
//! the view sent, and the browser's destroy exchange (`cids_will_destroy`: the client resets
//! those components' render; the answer to `cids_destroyed`: it prunes them), goes to the
//! fixture in order. After each change the fixture records the HTML of a fresh dead render of
//! the same state (the components' click counts passed in as their starting counts), which
//! the official client's merged tree must equal (`"compare": "fresh"` in `replay.mjs`). The
//! harness's own merged tree is checked against it here too.
//!
//! The sequences are checked to send both kinds of shared statics (`"s": -cid`, a component
//! of an earlier render, and `"s": +cid`, one earlier in the same diff), and revivals.

use std::collections::{BTreeMap, BTreeSet};

use liveview_diff::{html, Rendered};
use liveview_session::{
    dead_render, Assigns, ComponentSocket, DeadRender, DestroyComponents, LiveComponent, LiveView,
    MountOutcome, Params, PushKind, Session, Socket, ViewError,
};
use liveview_test::{InProcess, Inbound, LiveViewTest, MailboxEntry, Outbound};
use serde_json::{json, Value};

const SEQUENCES: u64 = 24;
const STEPS: usize = 30;

// ---------------------------------------------------------------------------------------------
// The page

#[derive(Debug, Clone, PartialEq, Default)]
struct Model {
    header: String,
    shown: bool,
    groups: Vec<Group>,
}

#[derive(Debug, Clone, PartialEq)]
struct Group {
    title: String,
    cards: Vec<CardModel>,
}

#[derive(Debug, Clone, PartialEq)]
struct CardModel {
    id: u32,
    label: String,
    flag: bool,
    leaves: Vec<LeafModel>,
}

#[derive(Debug, Clone, PartialEq)]
struct LeafModel {
    id: u32,
    label: String,
}

/// Click counts by component (`card-3`, `leaf-7`): what a fresh render starts from.
type Counts = BTreeMap<String, i64>;

#[derive(Clone, PartialEq)]
struct CardProps {
    card: CardModel,
    start: i64,
    leaf_starts: Vec<i64>,
}

#[derive(Clone, PartialEq)]
struct LeafProps {
    leaf: LeafModel,
    start: i64,
}

/// A card: label, click count, an optional flag, and its leaves (nested components).
#[derive(Default)]
struct Card {
    started: bool,
}

impl LiveComponent for Card {
    type Props = CardProps;
    type Event = ();
    type Update = ();

    fn update(
        &mut self,
        p: CardProps,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        if !self.started {
            self.started = true;
            socket.assign("count", p.start);
        }
        socket.assign("card", p.card);
        socket.assign("leaf_starts", p.leaf_starts);
        Ok(())
    }

    fn handle_event(
        &mut self,
        _: &str,
        _: &Value,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        socket.update("count", |n: &mut i64| *n += 1);
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let card: CardModel = a.get("card");
        let starts: Vec<i64> = a.get("leaf_starts");
        let count: i64 = a.get("count");
        html! {
            div.card id=(format!("card-{}", card.id)) {
                span.label { (card.label) }
                span.count { (count) }
                button.bump phx-click="bump" phx-target=(format!("#card-{}", card.id)) { "+" }
                @if card.flag {
                    b { "flagged " (card.label) }
                }
                ul {
                    @for (leaf, start) in card.leaves.iter().zip(starts.iter()) {
                        li {
                            (a.live_component::<Leaf>(leaf.id, LeafProps { leaf: leaf.clone(), start: *start }))
                        }
                    }
                }
            }
        }
    }
}

/// A leaf: label and click count.
#[derive(Default)]
struct Leaf {
    started: bool,
}

impl LiveComponent for Leaf {
    type Props = LeafProps;
    type Event = ();
    type Update = ();

    fn update(
        &mut self,
        p: LeafProps,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        if !self.started {
            self.started = true;
            socket.assign("count", p.start);
        }
        socket.assign("leaf", p.leaf);
        Ok(())
    }

    fn handle_event(
        &mut self,
        _: &str,
        _: &Value,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        socket.update("count", |n: &mut i64| *n += 1);
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let leaf: LeafModel = a.get("leaf");
        let count: i64 = a.get("count");
        html! {
            span.leaf id=(format!("leaf-{}", leaf.id)) {
                (leaf.label) ": " (count)
                button.bump phx-click="bump" phx-target=(format!("#leaf-{}", leaf.id)) { "+" }
            }
        }
    }
}

/// The page: a header and the groups of cards; `send_info(model)` replaces its state.
#[derive(Default)]
struct Page {
    /// The state a fresh (dead) render starts from.
    model: Model,
    counts: Counts,
}

impl LiveView for Page {
    type Info = Model;
    type Event = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign("model", self.model.clone());
        Ok(())
    }

    fn handle_info(&mut self, model: Model, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        socket.assign("model", model);
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let model: Model = a.get("model");
        let start = |key: String| self.counts.get(&key).copied().unwrap_or(0);
        html! {
            main {
                h1 { (model.header) }
                @if model.shown {
                    @for group in &model.groups {
                        section {
                            h2 { (group.title) }
                            @for card in &group.cards {
                                (a.live_component::<Card>(card.id, CardProps {
                                    card: card.clone(),
                                    start: start(format!("card-{}", card.id)),
                                    leaf_starts: card.leaves.iter().map(|l| start(format!("leaf-{}", l.id))).collect(),
                                }))
                            }
                        }
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Random changes

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

struct Ids(u32);

impl Ids {
    fn next(&mut self) -> u32 {
        self.0 += 1;
        self.0
    }
}

const WORDS: &[&str] = &[
    "ant", "bee", "cat", "dog", "eel", "fox", "<b>&amp;", "gnu", "\"q\"",
];

fn word(rng: &mut Rng) -> String {
    WORDS[rng.below(WORDS.len())].to_owned()
}

fn new_card(rng: &mut Rng, ids: &mut Ids) -> CardModel {
    let leaves = (0..rng.below(3))
        .map(|_| LeafModel {
            id: ids.next(),
            label: word(rng),
        })
        .collect();
    CardModel {
        id: ids.next(),
        label: word(rng),
        flag: rng.chance(30),
        leaves,
    }
}

fn initial(rng: &mut Rng, ids: &mut Ids) -> Model {
    let groups = (0..1 + rng.below(3))
        .map(|g| Group {
            title: format!("group {g}"),
            cards: (0..rng.below(4)).map(|_| new_card(rng, ids)).collect(),
        })
        .collect();
    Model {
        header: word(rng),
        shown: true,
        groups,
    }
}

fn all_cards(model: &mut Model) -> Vec<&mut CardModel> {
    model
        .groups
        .iter_mut()
        .flat_map(|g| g.cards.iter_mut())
        .collect()
}

/// One random change of the model; what it did, for the fixture's description.
fn mutate(model: &mut Model, rng: &mut Rng, ids: &mut Ids) -> &'static str {
    let groups = model.groups.len();
    match rng.below(11) {
        0 => {
            model.header = word(rng);
            "header"
        }
        1 => {
            let mut cards = all_cards(model);
            let n = cards.len();
            if n == 0 {
                return "nothing";
            }
            let card = &mut cards[rng.below(n)];
            card.label = word(rng);
            "relabel a card"
        }
        2 => {
            let mut cards = all_cards(model);
            let n = cards.len();
            if n == 0 {
                return "nothing";
            }
            let card = &mut cards[rng.below(n)];
            card.flag = !card.flag;
            "toggle a card's flag"
        }
        3 | 4 => {
            let card = new_card(rng, ids);
            let g = rng.below(groups);
            let at = rng.below(model.groups[g].cards.len() + 1);
            model.groups[g].cards.insert(at, card);
            "add a card"
        }
        5 => {
            let g = rng.below(groups);
            let n = model.groups[g].cards.len();
            if n == 0 {
                return "nothing";
            }
            model.groups[g].cards.remove(rng.below(n));
            "remove a card"
        }
        6 => {
            // Moved, possibly to another group: same component, same CID.
            let from = rng.below(groups);
            let n = model.groups[from].cards.len();
            if n == 0 {
                return "nothing";
            }
            let card = model.groups[from].cards.remove(rng.below(n));
            let to = rng.below(groups);
            let at = rng.below(model.groups[to].cards.len() + 1);
            model.groups[to].cards.insert(at, card);
            "move a card"
        }
        7 => {
            // A leaf moves to another card: the same nested component, placed by a new parent.
            let mut cards = all_cards(model);
            let n = cards.len();
            let from = rng.below(n);
            if n == 0 || cards[from].leaves.is_empty() {
                return "nothing";
            }
            let k = rng.below(cards[from].leaves.len());
            let leaf = cards[from].leaves.remove(k);
            let to = rng.below(n);
            let at = rng.below(cards[to].leaves.len() + 1);
            cards[to].leaves.insert(at, leaf);
            "move a leaf"
        }
        8 => {
            let mut cards = all_cards(model);
            let n = cards.len();
            if n == 0 {
                return "nothing";
            }
            let card = &mut cards[rng.below(n)];
            if card.leaves.is_empty() || rng.chance(50) {
                card.leaves.push(LeafModel {
                    id: ids.next(),
                    label: word(rng),
                });
                "add a leaf"
            } else {
                let k = rng.below(card.leaves.len());
                card.leaves.remove(k);
                "remove a leaf"
            }
        }
        9 => {
            model.shown = !model.shown;
            if model.shown {
                "show every card"
            } else {
                "hide every card"
            }
        }
        _ => {
            let g = rng.below(groups);
            model.groups[g].cards.reverse();
            "reverse a group"
        }
    }
}

/// The components the page shows, by key (`card-3`, `leaf-7`).
fn shown(model: &Model) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if !model.shown {
        return out;
    }
    for g in &model.groups {
        for c in &g.cards {
            out.insert(format!("card-{}", c.id));
            for l in &c.leaves {
                out.insert(format!("leaf-{}", l.id));
            }
        }
    }
    out
}

/// A fresh dead render of `model` with the components' counts.
fn fresh_html(model: &Model, counts: &Counts) -> String {
    let mut page = Page {
        model: model.clone(),
        counts: counts.clone(),
    };
    match dead_render(&mut page, &Params::new(), &Session::new(), "/") {
        Ok(DeadRender::Page { html, .. }) => html,
        other => panic!("the dead render failed: {other:?}"),
    }
}

/// The client's HTML without the attributes the client adds to component roots.
fn strip_client_attrs(html: &str) -> String {
    let mut out = html.to_owned();
    for attr in ["data-phx-id", "data-phx-component", "data-phx-view"] {
        let needle = format!(" {attr}=\"");
        while let Some(at) = out.find(&needle) {
            let from = at + needle.len();
            let end = out[from..].find('"').map_or(out.len(), |e| from + e + 1);
            out.replace_range(at..end, "");
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Recording

#[derive(Default)]
struct Stats {
    steps: usize,
    shared_previous: usize,
    shared_same_diff: usize,
    will_destroy: usize,
    pruned: usize,
    revived: usize,
}

/// Turns the mailbox entries from `from` on into fixture steps.
fn ops(entries: &[MailboxEntry], stats: &mut Stats) -> Vec<Value> {
    let mut out = Vec::new();
    let mut asked_destroyed = false;
    for entry in entries {
        match entry {
            MailboxEntry::Out(Outbound::Reply { diff: Some(d), .. })
            | MailboxEntry::Out(Outbound::Push(PushKind::Diff(d))) => {
                let diff: Value = serde_json::from_str(d).unwrap_or_else(|e| panic!("{e}: {d}"));
                if let Some(Value::Object(c)) = diff.get("c") {
                    for node in c.values() {
                        match node.get("s").and_then(Value::as_i64) {
                            Some(s) if s < 0 => stats.shared_previous += 1,
                            Some(_) => stats.shared_same_diff += 1,
                            None => {}
                        }
                    }
                }
                out.push(json!({ "diff": diff }));
            }
            MailboxEntry::In(Inbound::Destroy(DestroyComponents::WillDestroy(cids))) => {
                stats.will_destroy += cids.len();
                asked_destroyed = false;
                out.push(json!({ "reset": cids }));
            }
            MailboxEntry::In(Inbound::Destroy(DestroyComponents::Destroyed(_))) => {
                asked_destroyed = true;
            }
            MailboxEntry::Out(Outbound::Destroyed(cids)) if asked_destroyed => {
                asked_destroyed = false;
                stats.pruned += cids.len();
                out.push(json!({ "prune": cids }));
            }
            _ => {}
        }
    }
    out
}

async fn sequence(seed: u64, stats: &mut Stats) -> Value {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut ids = Ids(0);
    let mut model = initial(&mut rng, &mut ids);
    let mut counts = Counts::new();
    let start = model.clone();
    let mut view: LiveViewTest<InProcess<Page>> = LiveViewTest::builder(move || Page {
        model: start.clone(),
        counts: Counts::new(),
    })
    .mount()
    .await;
    let entries = view.mailbox().entries();
    let join = entries
        .iter()
        .find_map(|e| match e {
            MailboxEntry::Out(Outbound::Mounted(MountOutcome::Rendered { rendered, .. })) => {
                Some(rendered.clone())
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("seed {seed}: no join render"));
    let mut seen = entries.len();
    let html = fresh_html(&model, &counts);
    let mut steps = vec![json!({
        "diff": serde_json::from_str::<Value>(&join).unwrap_or_else(|e| panic!("{e}")),
        "html": html,
    })];
    let mut holding = false;
    let mut held_since = 0;
    for step in 0..STEPS {
        let mut what = String::new();
        if !holding && rng.chance(15) {
            view.hold_cids_destroyed();
            holding = true;
            held_since = step;
        }
        let was_shown = shown(&model);
        if rng.chance(25) && !was_shown.is_empty() {
            // A click inside a component: a component-only diff.
            let keys: Vec<&String> = was_shown.iter().collect();
            let key = keys[rng.below(keys.len())].clone();
            view.click(&format!("#{key} > button.bump")).await;
            *counts.entry(key.clone()).or_insert(0) += 1;
            what = format!("click in {key}");
        } else {
            if holding && rng.chance(40) {
                // Hidden and shown again while `cids_destroyed` is held: revivals.
                model.shown = !model.shown;
                what.push_str("toggle every card while cids_destroyed is held");
            } else {
                what.push_str(mutate(&mut model, &mut rng, &mut ids));
            }
            view.send_info(model.clone()).await;
        }
        if holding && (step >= held_since + 3 || step + 1 == STEPS) {
            let named = view.held_cids_destroyed().len();
            let deleted = view.release_cids_destroyed().await;
            holding = false;
            stats.revived += named - deleted.len();
            what.push_str(&format!(
                "; released cids_destroyed: {named} held, {} deleted",
                deleted.len()
            ));
        }
        // Mirror the server: once a destroy exchange completes (every step, unless held),
        // the components not shown are gone and start again from 0.
        if !holding {
            let now = shown(&model);
            counts.retain(|k, _| now.contains(k));
        }
        let entries = view.mailbox().entries();
        let mut new_ops = ops(&entries[seen..], stats);
        seen = entries.len();
        let html = fresh_html(&model, &counts);
        let ours = strip_client_attrs(&view.render());
        assert_eq!(
            ours, html,
            "seed {seed} step {step} ({what}): the harness's merged tree differs from a fresh render"
        );
        match new_ops.last_mut() {
            Some(Value::Object(last)) => {
                last.insert("html".into(), Value::String(html));
                last.insert("note".into(), Value::String(what));
            }
            _ => new_ops.push(json!({ "html": html, "note": what })),
        }
        stats.steps += new_ops.len();
        steps.extend(new_ops);
    }
    json!({
        "description": format!("generated live components sequence, seed {seed}"),
        "view_id": liveview_test::TEST_VIEW_ID,
        "compare": "fresh",
        "steps": steps,
    })
}

fn main() -> std::io::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/oracle-components".to_owned());
    std::fs::create_dir_all(&dir)?;
    let mut stats = Stats::default();
    actix_rt::System::new().block_on(async {
        for seed in 1..=SEQUENCES {
            let fixture = sequence(seed, &mut stats).await;
            let path = format!("{dir}/components-{seed:03}.json");
            let text = serde_json::to_string_pretty(&fixture).map_err(std::io::Error::other)?;
            std::fs::write(&path, text)?;
        }
        Ok::<(), std::io::Error>(())
    })?;
    eprintln!(
        "wrote {SEQUENCES} component sequences to {dir}: {} steps, {} components sharing statics \
         with -cid and {} with +cid, {} named in cids_will_destroy, {} pruned, {} revived",
        stats.steps,
        stats.shared_previous,
        stats.shared_same_diff,
        stats.will_destroy,
        stats.pruned,
        stats.revived
    );
    assert!(
        stats.shared_previous > 0 && stats.shared_same_diff > 0,
        "the sequences must share statics both ways (-cid and +cid)"
    );
    assert!(
        stats.pruned > 0 && stats.revived > 0,
        "the sequences must destroy and revive components"
    );
    Ok(())
}
