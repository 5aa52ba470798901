//! A page model with every template shape `html!` produces, random states of it, and random
//! edits, for the property tests and the official-client corpus.

#![allow(dead_code, missing_docs, unreachable_pub)]

use liveview_diff::{html, Rendered};

#[derive(Debug, Clone)]
pub struct Item {
    pub id: u32,
    pub name: String,
    pub done: bool,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct State {
    pub title: String,
    pub show: bool,
    pub mode: u8,
    pub count: i64,
    pub items: Vec<Item>,
    pub plain: Vec<String>,
}

pub fn render(s: &State) -> Rendered {
    html! {
        div.app.shown[s.show] data-mode=(s.mode) {
            h1 title=(s.title) { (s.title) }
            @if s.show {
                p.on { "ON " (s.count) }
            } @else if s.count > 5 {
                span { "big " (s.count) }
            }
            @match s.mode {
                0 => { em { "zero" } }
                1 => { b { (s.count) } i { (s.title) } }
                _ => {}
            }
            ul #items {
                @for it in &s.items; key = (it.id) {
                    li id=(format!("item-{}", it.id)) .done[it.done] {
                        (it.name)
                        @if it.done { " ✓" }
                        @if !it.tags.is_empty() {
                            ul.tags { @for t in &it.tags { li { (t) } } }
                        }
                    }
                }
            }
            ol { @for p in &s.plain { li { (p) } } }
            input type="checkbox" name="show" checked[s.show];
        }
    }
}

/// A small deterministic generator (xorshift64*), so a seed names a whole sequence.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const WORDS: &[&str] = &[
    "alpha",
    "<b>bold</b>",
    "a & b",
    "\"quoted\"",
    "ünïcödé",
    "",
    "line\nbreak",
    "tab\there",
    "{\"json\":1}",
    "back\\slash",
];

fn word(rng: &mut Rng) -> String {
    WORDS[rng.below(WORDS.len() as u64) as usize].to_owned()
}

pub fn random_state(rng: &mut Rng, next_id: &mut u32) -> State {
    let n = rng.below(6) as usize;
    let items = (0..n).map(|_| random_item(rng, next_id)).collect();
    let plain = (0..rng.below(4)).map(|_| word(rng)).collect();
    State {
        title: word(rng),
        show: rng.chance(50),
        mode: rng.below(3) as u8,
        count: rng.below(10) as i64,
        items,
        plain,
    }
}

fn random_item(rng: &mut Rng, next_id: &mut u32) -> Item {
    *next_id += 1;
    Item {
        id: *next_id,
        name: word(rng),
        done: rng.chance(30),
        tags: (0..rng.below(3)).map(|_| word(rng)).collect(),
    }
}

/// One to three random edits of the kinds a live view makes.
pub fn mutate(s: &mut State, rng: &mut Rng, next_id: &mut u32) {
    for _ in 0..=rng.below(3) {
        match rng.below(12) {
            0 => s.title = word(rng),
            1 => s.show = !s.show,
            2 => s.mode = rng.below(3) as u8,
            3 => s.count += rng.below(5) as i64 - 2,
            4 => {
                let at = rng.below(s.items.len() as u64 + 1) as usize;
                let item = random_item(rng, next_id);
                s.items.insert(at, item);
            }
            5 if !s.items.is_empty() => {
                let at = rng.below(s.items.len() as u64) as usize;
                s.items.remove(at);
            }
            6 if s.items.len() > 1 => {
                let a = rng.below(s.items.len() as u64) as usize;
                let b = rng.below(s.items.len() as u64) as usize;
                s.items.swap(a, b);
            }
            7 if !s.items.is_empty() => {
                let at = rng.below(s.items.len() as u64) as usize;
                s.items[at].name = word(rng);
                s.items[at].done = rng.chance(50);
            }
            8 if !s.items.is_empty() => {
                let at = rng.below(s.items.len() as u64) as usize;
                let tags = &mut s.items[at].tags;
                if rng.chance(50) || tags.is_empty() {
                    tags.push(word(rng));
                } else {
                    tags.remove(0);
                }
            }
            9 => {
                if rng.chance(50) || s.plain.is_empty() {
                    s.plain.push(word(rng));
                } else {
                    s.plain.remove(0);
                }
            }
            10 => s.items.reverse(),
            11 => s.items.clear(),
            _ => {}
        }
    }
}
