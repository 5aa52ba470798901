//! The `html!` template macro: [maud] 0.27 syntax compiled to LiveView statics and dynamics.
//!
//! Use it through `liveview_diff::html!` (or the `liveview` facade); this crate only provides
//! the procedural half, [`html_impl!`]. A template expands to a `liveview_diff::Rendered`: a
//! `static` `Template` holding the HTML that can never change (joined and escaped at compile
//! time, fingerprinted by a `const fn`), and a vector of `Dynamic` values, one per *hole*, in
//! source order. The diff engine sends the statics once and afterwards only the holes whose
//! value changed.
//!
//! ```
//! use liveview_diff::{html, Dynamic};
//!
//! let count = 3;
//! let page = html! {
//!     div.counter #main {
//!         h1 { "Count: " (count) }
//!         button phx-click="inc" { "+" }
//!     }
//! };
//! assert_eq!(
//!     page.template().statics(),
//!     &[
//!         "<div class=\"counter\" id=\"main\"><h1>Count: ",
//!         "</h1><button phx-click=\"inc\">+</button></div>",
//!     ]
//! );
//! assert_eq!(page.dynamics(), &[Dynamic::text("3")]);
//! assert_eq!(
//!     page.to_html(),
//!     "<div class=\"counter\" id=\"main\"><h1>Count: 3</h1><button phx-click=\"inc\">+</button></div>"
//! );
//! ```
//!
//! # Syntax
//!
//! Everything maud 0.27 accepts, with the same HTML output (byte for byte, tested against
//! `maud::html!`), plus one extension, the keyed `@for`:
//!
//! | Syntax | Output |
//! |---|---|
//! | `p { ... }` | an element with a body |
//! | `br;` `input type="text";` | a void element (`br { }` is an error: a void element has no body) |
//! | `"text"` | text, escaped at compile time (`&`, `<`, `>`, `"`) |
//! | `(expr)` | a splice: `expr` rendered through maud's `Render` (escaped), `PreEscaped`/`Markup` verbatim, or a nested `Rendered` |
//! | `{ ... }` | a group of markup; an `@let` inside stays inside |
//! | `.class` `#id` `.(expr)` `#(expr)` | class and id shorthands; alone they mean `div` |
//! | `.active[cond]` | a class toggled by a `bool` |
//! | `name="value"` `name=(expr)` `name={ "a" (b) }` | an attribute; names may be hyphenated (`phx-click`, `data-id`), use `:` (`xml:lang`) or be string literals (`"@click"`) |
//! | `name` / `name[cond]` | an empty attribute, always or when `cond` is true |
//! | `name=[option]` | an attribute rendered when the `Option` is `Some` |
//! | `@if cond { ... } @else if cond { ... } @else { ... }` | a conditional, `@if let` included |
//! | `@match expr { pat if guard => markup, ... }` | a match; an arm body is `{ ... }` or one markup item |
//! | `@for pat in expr { ... }` | a loop |
//! | `@for pat in expr; key = (key_expr) { ... }` | a **keyed** loop (our extension, see below) |
//! | `@while cond { ... }` | a loop |
//! | `@let pat = expr;` | a binding for the rest of the enclosing block |
//!
//! As in maud, the classes of an element are merged into one `class` attribute written first:
//! the unconditional classes in order, then the toggled ones; `id` comes next, then the named
//! attributes in source order. A `(DOCTYPE)` is an ordinary splice of `maud::DOCTYPE`.
//!
//! One deliberate difference from maud: the body of an element is a scope, so an `@let`
//! inside `div { ... }` is not visible after the element.
//!
//! Splices accept what implements `maud::Render` (strings, integers, floats, `char`,
//! `PreEscaped`, `Markup`, your `Render` types), a `Rendered` (a nested tree), and, as in maud
//! 0.27, anything else that implements `Display` (such as `bool`), escaped.
//!
//! # What is static and what is dynamic
//!
//! A template with `k` holes has `k + 1` statics (empty strings included); adjacent static
//! pieces are joined at compile time, and `html! {}` is the single static `""`.
//!
//! * **Static:** tag names, literal text, literal attribute values, unconditional classes,
//!   static ids, empty attributes, and all the punctuation around them.
//! * **One hole per splice** in text: `(expr)` becomes `Dynamic::Text` with the escaped
//!   HTML, or `Dynamic::Nested` for a spliced `Rendered`.
//! * **One hole per splice in an attribute value, class or id**: `Dynamic::Text` of the
//!   escaped value; the quotes and the name stay static.
//! * **One hole per toggle**: `name[cond]` holds `" name"` or `""`, `.class[cond]` holds
//!   `" class"` (or `"class"` when it is the element's first class) or `""`.
//! * **One hole per optional attribute**: `name=[option]` holds `" name=\"value\""` or `""`.
//! * **One hole per `@if` chain**: each branch body is a template of its own, so the hole
//!   holds `Dynamic::Nested` of the branch taken, or `Dynamic::empty()` when no branch matches
//!   and there is no `@else`.
//! * **One hole per `@match`**: each arm is a template of its own, held as `Dynamic::Nested`.
//! * **One hole per `@for` / `@while`**: a `Dynamic::Comprehension` whose template is the
//!   loop body, with one `Entry` of dynamics per iteration.
//! * `@let` produces no output: it is a `let` statement between the holes.
//!
//! ```
//! use liveview_diff::{html, Dynamic};
//!
//! let admin = true;
//! let page = html! {
//!     nav {
//!         @if admin { a href="/admin" { "Admin" } } @else { "Welcome" }
//!     }
//! };
//! assert_eq!(page.template().statics(), &["<nav>", "</nav>"]);
//! let Dynamic::Nested(branch) = &page.dynamics()[0] else { panic!("a branch") };
//! assert_eq!(branch.template().statics(), &["<a href=\"/admin\">Admin</a>"]);
//! ```
//!
//! # Keyed loops
//!
//! Phoenix matches the rows of a comprehension by position, unless the loop has a `:key`;
//! keyed rows are matched by key, so inserting, removing or reordering items sends moves
//! instead of re-rendering every row after the change. maud has no such syntax; we add one, a
//! `; key = (expr)` between the iterated expression and the body:
//!
//! ```
//! use liveview_diff::html;
//!
//! struct Todo { id: u32, title: &'static str }
//! let todos = [Todo { id: 7, title: "Write docs" }, Todo { id: 9, title: "Ship" }];
//! let list = html! {
//!     ul {
//!         @for todo in &todos; key = (todo.id) {
//!             li id={ "todo-" (todo.id) } { (todo.title) }
//!         }
//!     }
//! };
//! assert_eq!(
//!     list.to_html(),
//!     "<ul><li id=\"todo-7\">Write docs</li><li id=\"todo-9\">Ship</li></ul>"
//! );
//! ```
//!
//! The key expression is evaluated once per iteration, before the body, with the loop
//! pattern in scope; it may be of any type maud can render (`maud::Render`: integers, `str`,
//! `String`, ...), and what maud renders is the entry's key (`Entry::keyed`). For another type,
//! write `key = (value.to_string())`. As with Phoenix's `:key`, **keys must be unique within one
//! loop**: two rows with the same key are a bug in the template, and the diff engine is free
//! to treat them as the same row.
//!
//! # Errors
//!
//! Mistakes are reported at compile time, all of them at once, each pointing at the offending
//! token and showing the right form: `@elif` (write `@else if`), `@else` without `@if`,
//! `if` without `@`, a `@for` missing its `in`, an unclosed element, a void element with a
//! body, `br/`, a non-string literal, `attr=true` (write `attr` or `attr[cond]`), a duplicate
//! `#id`, and so on.
//!
//! [maud]: https://maud.lambda.xyz/
#![cfg_attr(docsrs, feature(doc_cfg))]
#![cfg_attr(not(test), warn(clippy::print_stdout))]

mod ast;
mod derive;
mod generate;
mod parse;

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};

/// The procedural half of `liveview_diff::html!`: not meant to be called directly.
///
/// Its input is the path of `liveview-diff` in parentheses (the `$crate` of the forwarding
/// `macro_rules!`), then the template. It expands to an expression of type
/// `liveview_diff::Rendered`. The accepted syntax, and what becomes static or dynamic, is
/// documented at the [crate root](crate).
///
/// ```
/// let page = liveview_diff::html! { p.greeting { "Hello, " ("world") "!" } };
/// assert_eq!(page.to_html(), "<p class=\"greeting\">Hello, world!</p>");
/// ```
#[proc_macro]
pub fn html_impl(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    expand(input.into()).into()
}

/// Derives `LiveAssigns` for a struct whose named fields are a view's assigns: one typed key
/// per field (`Counter::count: Key<i64>`) and the trait that assigns them all at once.
///
/// Documented, with examples, on `liveview_session::LiveAssigns`. The generated code names
/// `::liveview`; write `#[live(crate = path)]` to name another crate that re-exports the
/// runtime (`liveview_session` itself, for instance).
#[proc_macro_derive(LiveAssigns, attributes(live))]
pub fn derive_live_assigns(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    derive::live_assigns(input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Derives `LiveEvent` (decoding) and `EventBinding` (rendering) for an enum of a view's
/// events: one variant per event, named in `snake_case` unless `#[event(rename = "...")]`
/// says otherwise; a variant's named fields travel as `phx-value-*`, a single unnamed field
/// is decoded from the whole value (a form).
///
/// Documented, with examples, on `liveview_session::LiveEvent`. The crate path works as for
/// [`LiveAssigns`](derive@LiveAssigns).
#[proc_macro_derive(LiveEvent, attributes(live, event))]
pub fn derive_live_event(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    derive::live_event(input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

fn expand(input: TokenStream) -> TokenStream {
    let mut tokens = input.into_iter();
    let krate = match tokens.next() {
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => g.stream(),
        _ => {
            return syn::Error::new(
                Span::call_site(),
                "`html_impl!` is internal; use `liveview_diff::html! { ... }` instead",
            )
            .to_compile_error();
        }
    };
    let template: TokenStream = tokens.collect();

    let mut diags = parse::Diagnostics::default();
    let parsed = Parser::parse2(
        |input: ParseStream<'_>| parse::parse_root(input, &mut diags),
        template,
    );
    match parsed {
        Ok(markups) => match diags.into_error() {
            None => generate::generate(&krate, &markups),
            Some(err) => generate::placeholder(&krate, err.to_compile_error()),
        },
        Err(err) => {
            diags.push(err);
            let err = diags
                .into_error()
                .expect("an error was just recorded")
                .to_compile_error();
            generate::placeholder(&krate, err)
        }
    }
}
