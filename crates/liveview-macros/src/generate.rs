//! Code generation: turns the template syntax tree into an expression building a `Rendered`.
//!
//! Every template (the whole macro input, each `@if`/`@match` branch, each loop body) becomes
//! a block holding a `static` [`Template`] of the joined static strings, a vector of dynamics
//! filled in source order, and a `Rendered::new` at the end. Local variable names use
//! `Span::mixed_site()`, so they can neither clash with nor be reached by the user's code.
//!
//! [`Template`]: https://docs.rs/liveview-diff

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use syn::Expr;

use crate::ast::{
    Attr, AttrKind, Element, Else, ForLoop, HtmlName, IfChain, Markup, Markups, MatchExpr,
    NameOrMarkup, WhileLoop,
};

/// Generates the expression for a whole template.
pub(crate) fn generate(krate: &TokenStream, markups: &Markups) -> TokenStream {
    let generator = Generator::new(krate);
    let root = single_root(markups);
    let rendered = generator.template_as(root, |g, t| {
        g.markups(markups, t, Scope::Shared, Mode::Body)
    });
    let scratch = &generator.scratch;
    quote! {{
        extern crate alloc;
        // One buffer every splice of this template renders through, before it is stored.
        #[allow(unused_mut, unused_variables)]
        let mut #scratch = alloc::string::String::new();
        #rendered
    }}
}

/// Whether a whole template is one element (blank text and `@let`s aside): what a live
/// component's template must be, so that the browser can mark its root with the CID.
fn single_root(markups: &Markups) -> bool {
    let mut roots = markups.items.iter().filter(|m| match m {
        Markup::Let(_) | Markup::Semi => false,
        Markup::Lit(s) => !s.value().trim().is_empty(),
        _ => true,
    });
    matches!(
        (roots.next(), roots.next()),
        (Some(Markup::Element(_)), None)
    )
}

/// The expression used after a compile error: an empty `Rendered`, so that the error is not
/// followed by a cascade of type errors.
pub(crate) fn placeholder(krate: &TokenStream, errors: TokenStream) -> TokenStream {
    quote! {{
        #errors
        static __LIVEVIEW_TEMPLATE: #krate::Template = #krate::Template::new(&[""]);
        #krate::Rendered::new(&__LIVEVIEW_TEMPLATE, ::core::default::Default::default())
    }}
}

/// Escapes text for HTML at compile time, exactly as maud's `Escaper` does at run time.
fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// Whether `name` is one of Phoenix's event bindings, whose value names the event to send
/// (and may be a typed event, see `liveview_diff::EventBinding`).
fn is_event_binding(name: &str) -> bool {
    matches!(
        name,
        "phx-click"
            | "phx-click-away"
            | "phx-change"
            | "phx-submit"
            | "phx-blur"
            | "phx-focus"
            | "phx-window-blur"
            | "phx-window-focus"
            | "phx-keydown"
            | "phx-keyup"
            | "phx-window-keydown"
            | "phx-window-keyup"
            | "phx-viewport-top"
            | "phx-viewport-bottom"
    )
}

/// Appends an element or attribute name, escaped.
fn push_name(name: &HtmlName, t: &mut TemplateBuilder) {
    t.push_escaped(&name.text);
}

/// Where markup is generated: in an element body a splice may be a nested tree; in an
/// attribute value, class or id it is always escaped text (maud's `Render`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Body,
    Attribute,
}

/// Whether generated statements need a Rust block of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Flatten into the enclosing statements (maud's behaviour for a block without `@let`).
    Shared,
    /// Wrap in `{ ... }` when the markups hold an `@let`, so the binding stays inside.
    Own,
}

/// One template being built: the statics so far and the statements that push the dynamics.
#[derive(Debug)]
struct TemplateBuilder {
    /// Always non-empty: the last entry is the static text after the latest hole.
    statics: Vec<String>,
    stmts: TokenStream,
}

impl TemplateBuilder {
    fn new() -> Self {
        Self {
            statics: vec![String::new()],
            stmts: TokenStream::new(),
        }
    }

    fn tail(&mut self) -> &mut String {
        self.statics
            .last_mut()
            .expect("a template always has a trailing static")
    }

    fn push_str(&mut self, s: &str) {
        self.tail().push_str(s);
    }

    fn push_escaped(&mut self, s: &str) {
        escape_into(s, self.tail());
    }

    fn holes(&self) -> usize {
        self.statics.len() - 1
    }
}

/// The header of a loop.
#[derive(Debug, Clone, Copy)]
enum Head<'a> {
    /// `for pat in expr`.
    For { pat: &'a syn::Pat, expr: &'a Expr },
    /// `while cond`.
    While { cond: &'a Expr },
}

/// The code generator; holds the path of `liveview-diff` and the hygienic local names.
#[derive(Debug)]
struct Generator<'a> {
    krate: &'a TokenStream,
    /// The vector of dynamics of the template being filled.
    dynamics: Ident,
    /// The entries of a loop's comprehension.
    entries: Ident,
    /// A scratch value (condition, option, string) inside one hole's expression.
    value: Ident,
    /// A loop entry's key.
    key: Ident,
    /// The buffer splices render into.
    scratch: Ident,
}

impl<'a> Generator<'a> {
    fn new(krate: &'a TokenStream) -> Self {
        let name = |s: &str| Ident::new(s, Span::mixed_site());
        Self {
            krate,
            dynamics: name("__liveview_dynamics"),
            entries: name("__liveview_entries"),
            value: name("__liveview_value"),
            key: name("__liveview_key"),
            scratch: name("__liveview_scratch"),
        }
    }

    /// Pushes a hole whose dynamic is `dynamic` (an expression of type `Dynamic`).
    fn hole(&self, t: &mut TemplateBuilder, dynamic: TokenStream) {
        let d = &self.dynamics;
        t.stmts.extend(quote!(#d.push(#dynamic);));
        t.statics.push(String::new());
    }

    /// The `static` template item and the statements of a finished template; `build` turns the
    /// vector of dynamics into the result; `root` for a whole template that is one element.
    fn finish_as(
        &self,
        root: bool,
        t: TemplateBuilder,
        build: impl FnOnce(&Ident, TokenStream) -> TokenStream,
    ) -> (TokenStream, TokenStream) {
        let krate = self.krate;
        let d = &self.dynamics;
        let holes = t.holes();
        let statics = &t.statics;
        let constructor = if root { quote!(new_root) } else { quote!(new) };
        let item = quote! {
            static __LIVEVIEW_TEMPLATE: #krate::Template = #krate::Template::#constructor(&[#(#statics),*]);
        };
        let stmts = t.stmts;
        let body = if holes == 0 {
            let result = build(d, quote!(alloc::vec::Vec::new()));
            quote!(#stmts #result)
        } else {
            let result = build(d, quote!(#d));
            quote! {
                let mut #d: alloc::vec::Vec<#krate::Dynamic> = alloc::vec::Vec::with_capacity(#holes);
                #stmts
                #result
            }
        };
        (item, body)
    }

    /// A block expression of type `Rendered` for the template that `fill` builds.
    fn template(&self, fill: impl FnOnce(&Self, &mut TemplateBuilder)) -> TokenStream {
        self.template_as(false, fill)
    }

    /// [`Generator::template`]; `root` for a whole template that is one element.
    fn template_as(
        &self,
        root: bool,
        fill: impl FnOnce(&Self, &mut TemplateBuilder),
    ) -> TokenStream {
        let krate = self.krate;
        let mut t = TemplateBuilder::new();
        fill(self, &mut t);
        let (item, body) = self.finish_as(
            root,
            t,
            |_, dynamics| quote!(#krate::Rendered::new(&__LIVEVIEW_TEMPLATE, #dynamics)),
        );
        quote!({ #item #body })
    }

    /// `Dynamic::Nested` of the template that `fill` builds.
    fn nested(&self, fill: impl FnOnce(&Self, &mut TemplateBuilder)) -> TokenStream {
        let krate = self.krate;
        let rendered = self.template(fill);
        quote!(#krate::Dynamic::Nested(#rendered))
    }

    fn markups(&self, markups: &Markups, t: &mut TemplateBuilder, scope: Scope, mode: Mode) {
        if scope == Scope::Own && markups.has_let() {
            let outer = std::mem::take(&mut t.stmts);
            for m in &markups.items {
                self.markup(m, t, mode);
            }
            let inner = std::mem::replace(&mut t.stmts, outer);
            t.stmts.extend(quote!({ #inner }));
        } else {
            for m in &markups.items {
                self.markup(m, t, mode);
            }
        }
    }

    fn markup(&self, markup: &Markup, t: &mut TemplateBuilder, mode: Mode) {
        let krate = self.krate;
        match markup {
            Markup::Lit(lit) => t.push_escaped(&lit.value()),
            Markup::Splice(expr) => {
                let dynamic = match mode {
                    Mode::Body => {
                        let scratch = &self.scratch;
                        quote!({
                            #[allow(unused_imports)]
                            use #krate::__private::{
                                SpliceDisplay as _, SpliceInt as _, SpliceRender as _,
                            };
                            (&&#krate::__private::Choose(&(#expr))).splice_into(&mut #scratch)
                        })
                    }
                    Mode::Attribute => self.text_of(expr, ""),
                };
                self.hole(t, dynamic);
            }
            Markup::Block(markups) => self.markups(markups, t, Scope::Own, mode),
            Markup::Element(element) => self.element(element, t),
            Markup::If(chain) => {
                let dynamic = self.if_chain(chain, mode);
                self.hole(t, dynamic);
            }
            Markup::Match(m) => {
                let dynamic = self.match_expr(m, mode);
                self.hole(t, dynamic);
            }
            Markup::For(f) => {
                let dynamic = self.for_loop(f, mode);
                self.hole(t, dynamic);
            }
            Markup::While(w) => {
                let dynamic = self.while_loop(w, mode);
                self.hole(t, dynamic);
            }
            Markup::Let(local) => t.stmts.extend(quote!(#local)),
            Markup::Semi => {}
        }
    }

    /// A `Dynamic::Text` of `prefix` followed by `expr` rendered through maud's `Render`.
    fn text_of(&self, expr: &Expr, prefix: &str) -> TokenStream {
        let krate = self.krate;
        let scratch = &self.scratch;
        quote!({
            #[allow(unused_imports)]
            use #krate::__private::{TextDisplay as _, TextRender as _};
            (&#krate::__private::Choose(&(#expr))).text_into(&mut #scratch, #prefix, "")
        })
    }

    /// A `Dynamic::Text` of a string known at compile time.
    fn text_const(&self, text: &str) -> TokenStream {
        let krate = self.krate;
        quote!(#krate::Dynamic::text(#text))
    }

    fn empty(&self) -> TokenStream {
        let krate = self.krate;
        quote!(#krate::Dynamic::empty())
    }

    /// `if cond { then } else { Dynamic::empty() }`, with the condition bound by a `let` so
    /// that any expression (struct literals included) is accepted and typed as `bool`.
    fn toggled(&self, cond: &Expr, then: &TokenStream) -> TokenStream {
        let on = &self.value;
        let empty = self.empty();
        quote! {{
            let #on: bool = #cond;
            if #on { #then } else { #empty }
        }}
    }

    fn name_or_markup(&self, name: &NameOrMarkup, t: &mut TemplateBuilder) {
        match name {
            NameOrMarkup::Name(n) => push_name(n, t),
            NameOrMarkup::Markup(m) => self.markup(m, t, Mode::Attribute),
        }
    }

    fn element(&self, element: &Element, t: &mut TemplateBuilder) {
        let div = HtmlName::div();
        let name = element.name.as_ref().unwrap_or(&div);
        t.push_str("<");
        push_name(name, t);
        self.attrs(&element.attrs, t);
        t.push_str(">");
        if let Some(body) = &element.body {
            self.markups(body, t, Scope::Own, Mode::Body);
            t.push_str("</");
            push_name(name, t);
            t.push_str(">");
        }
    }

    /// Attributes in maud's order: the merged `class`, then `id`, then the named ones.
    fn attrs(&self, attrs: &[Attr], t: &mut TemplateBuilder) {
        let classes: Vec<_> = attrs
            .iter()
            .filter_map(|a| match a {
                Attr::Class { name, toggle } => Some((name, toggle.as_ref())),
                _ => None,
            })
            .collect();
        if !classes.is_empty() {
            t.push_str(" class=\"");
            // Unconditional classes first, each but the very first class preceded by a space;
            // then the toggled ones, in source order.
            for (i, (name, toggle)) in classes.iter().enumerate() {
                if toggle.is_none() {
                    if i > 0 {
                        t.push_str(" ");
                    }
                    self.name_or_markup(name, t);
                }
            }
            for (i, (name, toggle)) in classes.iter().enumerate() {
                if let Some(cond) = toggle {
                    let dynamic = self.toggled_class(name, cond, i > 0);
                    self.hole(t, dynamic);
                }
            }
            t.push_str("\"");
        }

        for attr in attrs {
            if let Attr::Id { name } = attr {
                t.push_str(" id=\"");
                self.name_or_markup(name, t);
                t.push_str("\"");
            }
        }

        for attr in attrs {
            if let Attr::Named { name, kind } = attr {
                self.named_attr(name, kind, t);
            }
        }
    }

    fn toggled_class(&self, name: &NameOrMarkup, cond: &Expr, spaced: bool) -> TokenStream {
        let space = if spaced { " " } else { "" };
        let then = match name {
            NameOrMarkup::Name(n) => {
                let mut text = String::from(space);
                escape_into(&n.text, &mut text);
                self.text_const(&text)
            }
            NameOrMarkup::Markup(m) => match &**m {
                Markup::Splice(expr) => self.text_of(expr, space),
                other => self.nested(|g, t| {
                    t.push_str(space);
                    g.markup(other, t, Mode::Attribute);
                }),
            },
        };
        self.toggled(cond, &then)
    }

    fn named_attr(&self, name: &HtmlName, kind: &AttrKind, t: &mut TemplateBuilder) {
        match kind {
            AttrKind::Value(value) if is_event_binding(&name.text) => {
                if let Markup::Splice(expr) = &**value {
                    // `phx-click=(Msg::Inc)`: the whole attribute is one hole, so that a typed
                    // event adds its `phx-value-*` attributes (any other value renders as before).
                    let krate = self.krate;
                    let scratch = &self.scratch;
                    let attr = &name.text;
                    let dynamic = quote!({
                        #[allow(unused_imports)]
                        use #krate::__private::{AttrDisplay as _, AttrEvent as _, AttrRender as _};
                        (&&&#krate::__private::Choose(&(#expr))).attr_into(&mut #scratch, #attr)
                    });
                    self.hole(t, dynamic);
                } else {
                    self.value_attr(name, value, t);
                }
            }
            AttrKind::Value(value) => self.value_attr(name, value, t),
            AttrKind::Empty => {
                t.push_str(" ");
                push_name(name, t);
            }
            AttrKind::Toggle(cond) => {
                let mut text = String::from(" ");
                escape_into(&name.text, &mut text);
                let dynamic = self.toggled(cond, &self.text_const(&text));
                self.hole(t, dynamic);
            }
            AttrKind::Optional(option) => {
                let krate = self.krate;
                let v = &self.value;
                let scratch = &self.scratch;
                let mut prefix = String::from(" ");
                escape_into(&name.text, &mut prefix);
                prefix.push_str("=\"");
                let empty = self.empty();
                let dynamic = quote! {{
                    let #v = #option;
                    match #v {
                        ::core::option::Option::Some(#v) => {
                            {
                                #[allow(unused_imports)]
                                use #krate::__private::{TextDisplay as _, TextRender as _};
                                (&#krate::__private::Choose(&#v)).text_into(&mut #scratch, #prefix, "\"")
                            }
                        }
                        ::core::option::Option::None => #empty,
                    }
                }};
                self.hole(t, dynamic);
            }
        }
    }

    /// `name="..."` with the value's markup inside the quotes.
    fn value_attr(&self, name: &HtmlName, value: &Markup, t: &mut TemplateBuilder) {
        t.push_str(" ");
        push_name(name, t);
        t.push_str("=\"");
        self.markup(value, t, Mode::Attribute);
        t.push_str("\"");
    }

    fn if_chain(&self, chain: &IfChain, mode: Mode) -> TokenStream {
        let cond = &chain.cond;
        let then = self.nested(|g, t| g.markups(&chain.then, t, Scope::Shared, mode));
        let otherwise = match &chain.otherwise {
            None => self.empty(),
            Some(Else::If(next)) => self.if_chain(next, mode),
            Some(Else::Block(body)) => self.nested(|g, t| g.markups(body, t, Scope::Shared, mode)),
        };
        quote!(if #cond { #then } else { #otherwise })
    }

    fn match_expr(&self, m: &MatchExpr, mode: Mode) -> TokenStream {
        let expr = &m.expr;
        let arms = m.arms.iter().map(|arm| {
            let pat = &arm.pat;
            let guard = arm.guard.as_ref().map(|g| quote!(if #g));
            let body = self.nested(|g, t| g.markup(&arm.body, t, mode));
            quote!(#pat #guard => #body,)
        });
        quote!(match #expr { #(#arms)* })
    }

    /// The statements of one loop iteration and the comprehension built from them; `head` is
    /// the loop header (`for pat in expr` or `while cond`).
    ///
    /// A `for` loop sizes the vectors from its iterator's `size_hint`, so a loop of a thousand
    /// rows allocates once instead of growing (and copying) a dozen times.
    fn comprehension(
        &self,
        head: Head<'_>,
        key: Option<&Expr>,
        body: &Markups,
        mode: Mode,
    ) -> TokenStream {
        let krate = self.krate;
        let flat = &self.entries;
        let d = &self.dynamics;
        let k = &self.key;
        let keys = Ident::new("__liveview_keys", Span::mixed_site());
        let rows = Ident::new("__liveview_rows", Span::mixed_site());
        let mut t = TemplateBuilder::new();
        self.markups(body, &mut t, Scope::Shared, mode);
        let statics = &t.statics;
        let stmts = &t.stmts;
        // Every row's dynamics go into one flat vector: no allocation per row.
        let (key_stmt, key_push) = match key {
            Some(key) => {
                let scratch = &self.scratch;
                (
                    quote! {
                        let #k: #krate::Text = {
                            #[allow(unused_imports)]
                            use #krate::__private::{KeyInt as _, KeyRender as _};
                            (&&#krate::__private::Choose(&(#key))).key_into(&mut #scratch)
                        };
                    },
                    quote!(#keys.push(#k);),
                )
            }
            None => (quote!(), quote!()),
        };
        let holes = t.holes();
        let keyed = key.is_some();
        let iter = Ident::new("__liveview_iter", Span::mixed_site());
        let hint = Ident::new("__liveview_hint", Span::mixed_site());
        let stream_ops = Ident::new("__liveview_stream", Span::mixed_site());
        let fill = |head: TokenStream, lower: TokenStream| {
            quote! {
                // The hint is capped: a lower bound is a promise, but not one worth an abort.
                let #hint: usize = ::core::cmp::min(#lower, 1 << 20);
                #[allow(unused_mut)]
                let mut #flat: alloc::vec::Vec<#krate::Dynamic> =
                    alloc::vec::Vec::with_capacity(#hint * #holes);
                #[allow(unused_mut)]
                let mut #keys: alloc::vec::Vec<#krate::Text> =
                    alloc::vec::Vec::with_capacity(if #keyed { #hint } else { 0 });
                let mut #rows: usize = 0;
                #head {
                    #key_stmt
                    {
                        #[allow(unused_variables)]
                        let #d = &mut #flat;
                        #stmts
                    }
                    #key_push
                    #rows += 1;
                }
                #krate::__private::streamed(
                    #krate::Comprehension::from_rows(&__LIVEVIEW_TEMPLATE, #keys, #rows, #flat),
                    #stream_ops,
                )
            }
        };
        let body = match head {
            // `match` keeps the temporaries of `expr` alive for the whole loop, as `for` does.
            Head::For { pat, expr } => {
                let inner = fill(quote!(for #pat in #iter), quote!(#hint.0));
                quote! {
                    match ::core::iter::IntoIterator::into_iter(#expr) {
                        #iter => {
                            let #hint = ::core::iter::Iterator::size_hint(&#iter);
                            // A stream's iterator carries its operations into the comprehension.
                            #[allow(unused_imports)]
                            use #krate::__private::{ProbeOther as _, ProbeStream as _};
                            let #stream_ops = (&&#krate::__private::StreamProbe(&#iter)).stream_ops();
                            #inner
                        }
                    }
                }
            }
            Head::While { cond } => {
                let inner = fill(quote!(while #cond), quote!(0));
                quote! {{
                    let #stream_ops: ::core::option::Option<#krate::StreamOps> = ::core::option::Option::None;
                    #inner
                }}
            }
        };
        quote! {{
            static __LIVEVIEW_TEMPLATE: #krate::Template = #krate::Template::new(&[#(#statics),*]);
            #body
        }}
    }

    fn for_loop(&self, f: &ForLoop, mode: Mode) -> TokenStream {
        let pat = &f.pat;
        let expr = &f.expr;
        self.comprehension(Head::For { pat, expr }, f.key.as_ref(), &f.body, mode)
    }

    fn while_loop(&self, w: &WhileLoop, mode: Mode) -> TokenStream {
        let cond = &w.cond;
        self.comprehension(Head::While { cond }, None, &w.body, mode)
    }
}
