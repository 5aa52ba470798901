//! The template syntax tree: what the parser (`parse.rs`) builds and the generator
//! (`generate.rs`) walks, as maud splits parse → ast → generate.

use proc_macro2::Span;
use syn::{Expr, LitStr, Local, Pat};

/// A sequence of markup items: a template body.
#[derive(Debug)]
pub(crate) struct Markups {
    pub(crate) items: Vec<Markup>,
}

impl Markups {
    /// Whether an `@let` appears directly in this sequence, so that the generated statements
    /// need their own Rust block to keep the binding from leaking to siblings.
    pub(crate) fn has_let(&self) -> bool {
        self.items.iter().any(|m| matches!(m, Markup::Let(_)))
    }
}

/// One markup item.
#[derive(Debug)]
pub(crate) enum Markup {
    /// A string literal: static text, escaped at compile time.
    Lit(LitStr),
    /// `(expr)`: a hole.
    Splice(Expr),
    /// `{ ... }`: a group, scoped only when it holds an `@let`.
    Block(Markups),
    /// An element with its attributes and body.
    Element(Element),
    /// `@if ... @else if ... @else ...`: one hole.
    If(IfChain),
    /// `@match expr { arms }`: one hole.
    Match(MatchExpr),
    /// `@for pat in expr (; key = (expr))? { body }`: one comprehension hole.
    For(Box<ForLoop>),
    /// `@while cond { body }`: one comprehension hole.
    While(WhileLoop),
    /// `@let pat = expr;`: a binding for the rest of the enclosing block.
    Let(Box<Local>),
    /// A stray `;`, ignored as maud does.
    Semi,
}

/// An element: `name.class#id attr="value" { body }` or `name attrs;`.
#[derive(Debug)]
pub(crate) struct Element {
    /// The tag name; `None` for `.class` / `#id` shorthands, which mean `div`.
    pub(crate) name: Option<HtmlName>,
    pub(crate) attrs: Vec<Attr>,
    /// `None` for a void element written `name;`.
    pub(crate) body: Option<Markups>,
}

/// An attribute of an element, in source order.
#[derive(Debug)]
pub(crate) enum Attr {
    /// `.name`, `.(expr)`, optionally toggled with `[cond]`.
    Class {
        name: NameOrMarkup,
        toggle: Option<Expr>,
    },
    /// `#name` or `#(expr)`.
    Id { name: NameOrMarkup },
    /// `name`, `name=value`, `name=[option]` or `name[cond]`.
    Named { name: HtmlName, kind: AttrKind },
}

/// The value part of a named attribute.
#[derive(Debug)]
pub(crate) enum AttrKind {
    /// `name=value`: a literal, a splice, a block or control flow (no elements).
    Value(Box<Markup>),
    /// `name=[option]`: rendered when the `Option` is `Some`.
    Optional(Expr),
    /// `name`: an empty attribute.
    Empty,
    /// `name[cond]`: an empty attribute rendered when `cond` is true.
    Toggle(Expr),
}

/// A class or id name: either static, or markup (a splice, block, ...).
#[derive(Debug)]
pub(crate) enum NameOrMarkup {
    Name(HtmlName),
    Markup(Box<Markup>),
}

/// An element or attribute name such as `phx-click`, `xml:lang` or `"data-x"`.
#[derive(Debug, Clone)]
pub(crate) struct HtmlName {
    /// The name as it appears in HTML (not yet escaped).
    pub(crate) text: String,
    pub(crate) span: Span,
}

impl HtmlName {
    /// A name the template did not spell (no span of its own).
    pub(crate) fn synthetic(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            span: Span::call_site(),
        }
    }

    /// The default tag of `.class` / `#id` shorthands.
    pub(crate) fn div() -> Self {
        Self::synthetic("div")
    }
}

/// `@if cond { ... } (@else if cond { ... })* (@else { ... })?`.
#[derive(Debug)]
pub(crate) struct IfChain {
    pub(crate) cond: Expr,
    pub(crate) then: Markups,
    pub(crate) otherwise: Option<Else>,
}

/// The `@else` part of an `@if`.
#[derive(Debug)]
pub(crate) enum Else {
    If(Box<IfChain>),
    Block(Markups),
}

/// `@match expr { pat (if guard)? => markup, ... }`.
#[derive(Debug)]
pub(crate) struct MatchExpr {
    pub(crate) expr: Expr,
    pub(crate) arms: Vec<MatchArm>,
}

/// One arm of an `@match`.
#[derive(Debug)]
pub(crate) struct MatchArm {
    pub(crate) pat: Pat,
    pub(crate) guard: Option<Expr>,
    pub(crate) body: Markup,
}

/// `@for pat in expr { ... }` or the keyed `@for pat in expr; key = (expr) { ... }`.
#[derive(Debug)]
pub(crate) struct ForLoop {
    pub(crate) pat: Pat,
    pub(crate) expr: Expr,
    pub(crate) key: Option<Expr>,
    pub(crate) body: Markups,
}

/// `@while cond { ... }`.
#[derive(Debug)]
pub(crate) struct WhileLoop {
    pub(crate) cond: Expr,
    pub(crate) body: Markups,
}
