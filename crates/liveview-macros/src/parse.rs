//! The template parser: builds the syntax tree of `ast.rs` while collecting every
//! diagnostic.
//!
//! Parsing recovers where it can (a keyword written without `@`, an `@elif`, a stray `@else`, a
//! `/` closing a void element, ...) so that one compile reports all the mistakes it can find,
//! each pointing at the offending token and showing the right form. Only an error that leaves
//! the token stream impossible to follow stops the parse.

use proc_macro2::{Delimiter, Span, TokenTree};
use syn::{
    braced, bracketed,
    ext::IdentExt,
    parenthesized,
    parse::ParseStream,
    spanned::Spanned,
    token::{Brace, Bracket, Paren},
    Expr, Ident, Lit, LitStr, Pat, Stmt, Token,
};

use crate::ast::{
    Attr, AttrKind, Element, Else, ForLoop, HtmlName, IfChain, Markup, Markups, MatchArm,
    MatchExpr, NameOrMarkup, WhileLoop,
};

/// The diagnostics collected while parsing; each one is reported, not only the first.
#[derive(Debug, Default)]
pub(crate) struct Diagnostics {
    errors: Vec<syn::Error>,
}

impl Diagnostics {
    /// Records an error at `span`.
    pub(crate) fn error(&mut self, span: Span, message: impl std::fmt::Display) {
        self.errors.push(syn::Error::new(span, message));
    }

    /// Records an error that has already been built.
    pub(crate) fn push(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    /// All recorded errors merged into one, or `None` when parsing went cleanly.
    pub(crate) fn into_error(self) -> Option<syn::Error> {
        let mut errors = self.errors.into_iter();
        let mut first = errors.next()?;
        for e in errors {
            first.combine(e);
        }
        Some(first)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    Body,
    Attribute,
}

/// Elements that HTML defines as void: they take `;` and never a body.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Parses a whole template.
pub(crate) fn parse_root(input: ParseStream<'_>, diags: &mut Diagnostics) -> syn::Result<Markups> {
    parse_markups(input, diags)
}

fn parse_markups(input: ParseStream<'_>, diags: &mut Diagnostics) -> syn::Result<Markups> {
    let mut items = Vec::new();
    while !input.is_empty() {
        if let Some(item) = parse_markup(input, diags, Context::Body)? {
            items.push(item);
        }
    }
    Ok(Markups { items })
}

fn parse_block(input: ParseStream<'_>, diags: &mut Diagnostics) -> syn::Result<Markups> {
    let content;
    braced!(content in input);
    parse_markups(&content, diags)
}

/// The Rust keywords that maud spells with a leading `@`.
const CONTROL_KEYWORDS: &[&str] = &["if", "else", "for", "while", "match", "let"];

fn peek_control_keyword(input: ParseStream<'_>) -> Option<Ident> {
    let fork = input.fork();
    let ident = fork.call(Ident::parse_any).ok()?;
    let name = ident.to_string();
    CONTROL_KEYWORDS.contains(&name.as_str()).then_some(ident)
}

/// Parses one markup item; `None` when an erroneous item was skipped after reporting it.
fn parse_markup(
    input: ParseStream<'_>,
    diags: &mut Diagnostics,
    ctx: Context,
) -> syn::Result<Option<Markup>> {
    if let Some(kw) = peek_control_keyword(input) {
        // `if x { ... }` instead of `@if x { ... }`: report, then parse it as intended.
        diags.error(
            kw.span(),
            format!("found keyword `{kw}` without `@`; control flow is written `@{kw}`"),
        );
        return parse_control_flow_keyword(input, diags, ctx, kw.span());
    }

    let lookahead = input.lookahead1();
    if lookahead.peek(Brace) {
        let content;
        braced!(content in input);
        let mut items = Vec::new();
        while !content.is_empty() {
            if let Some(item) = parse_markup(&content, diags, ctx)? {
                items.push(item);
            }
        }
        Ok(Some(Markup::Block(Markups { items })))
    } else if lookahead.peek(Lit) {
        parse_literal(input, diags).map(|lit| Some(Markup::Lit(lit)))
    } else if lookahead.peek(Paren) {
        let content;
        let parens = parenthesized!(content in input);
        if content.is_empty() {
            diags.error(
                parens.span.join(),
                "empty splice; write the expression to render inside the parentheses: `(expr)`",
            );
            return Ok(None);
        }
        let expr: Expr = content.parse()?;
        Ok(Some(Markup::Splice(expr)))
    } else if ctx == Context::Body
        && (input.peek(Ident::peek_any) || input.peek(Token![.]) || input.peek(Token![#]))
    {
        parse_element(input, diags).map(|e| Some(Markup::Element(e)))
    } else if lookahead.peek(Token![@]) {
        let at: Token![@] = input.parse()?;
        parse_control_flow(input, diags, ctx, at.span)
    } else if lookahead.peek(Token![;]) {
        input.parse::<Token![;]>()?;
        Ok(Some(Markup::Semi))
    } else if ctx == Context::Body {
        Err(input.error(
            "expected markup: an element (`p { ... }`, `br;`), a string literal, \
             a splice `(expr)`, a block `{ ... }` or control flow (`@if`, `@for`, ...)",
        ))
    } else {
        Err(input.error(
            "expected an attribute value: a string literal `\"...\"`, a splice `(expr)`, \
             a block `{ \"...\" (expr) }` or control flow (`@if`, ...)",
        ))
    }
}

/// Parses a literal; only string literals are markup, anything else is reported.
fn parse_literal(input: ParseStream<'_>, diags: &mut Diagnostics) -> syn::Result<LitStr> {
    let lit: Lit = input.parse()?;
    let span = lit.span();
    let quoted = match &lit {
        Lit::Str(s) => return Ok(s.clone()),
        Lit::Int(i) => i.to_string(),
        Lit::Float(f) => f.to_string(),
        Lit::Char(c) => c.value().to_string(),
        Lit::Bool(b) => b.value.to_string(),
        _ => {
            diags.error(span, "expected a string literal");
            return Ok(LitStr::new("", span));
        }
    };
    let spliced = quote::ToTokens::to_token_stream(&lit).to_string();
    diags.error(
        span,
        format!("literal must be double-quoted: write `\"{quoted}\"`, or splice a value with `({spliced})`"),
    );
    Ok(LitStr::new("", span))
}

/// Parses a name made of fragments (identifiers, integers, string literals) joined by `-` or
/// `:`, as maud does: `phx-click`, `xml:lang`, `data-1`, `"x-data"`.
fn parse_html_name(input: ParseStream<'_>) -> syn::Result<HtmlName> {
    let mut text = String::new();
    let start = input.span();
    let mut end = start;
    loop {
        if input.peek(Token![-]) || input.peek(Token![:]) {
            // An empty fragment, as in `:class` or `x--y`.
        } else if input.peek(Ident::peek_any) {
            let ident = input.call(Ident::parse_any)?;
            end = ident.span();
            text.push_str(&ident.unraw().to_string());
        } else if input.peek(syn::LitInt) {
            let lit: syn::LitInt = input.parse()?;
            end = lit.span();
            text.push_str(&lit.to_string());
        } else if input.peek(LitStr) {
            let lit: LitStr = input.parse()?;
            end = lit.span();
            text.push_str(&lit.value());
        } else {
            return Err(input.error("expected a name: an identifier or a string literal"));
        }
        if input.peek(Token![-]) {
            let t: Token![-] = input.parse()?;
            end = t.span;
            text.push('-');
        } else if input.peek(Token![:]) && !input.peek(Token![::]) {
            let t: Token![:] = input.parse()?;
            end = t.span;
            text.push(':');
        } else {
            break;
        }
    }
    Ok(HtmlName {
        text,
        span: start.join(end).unwrap_or(start),
    })
}

fn parse_element(input: ParseStream<'_>, diags: &mut Diagnostics) -> syn::Result<Element> {
    let name = if input.peek(Ident::peek_any) {
        Some(parse_html_name(input)?)
    } else {
        None
    };
    let head_span = name.as_ref().map_or_else(|| input.span(), |n| n.span);

    let mut attrs = Vec::new();
    let mut id_seen = false;
    while input.peek(Ident::peek_any)
        || input.peek(Lit)
        || input.peek(Token![.])
        || input.peek(Token![#])
    {
        let attr_span = input.span();
        let attr = parse_attr(input, diags)?;
        if let Attr::Id { .. } = attr {
            if id_seen {
                diags.error(
                    attr_span,
                    "duplicate id (`#`) attribute; an element has at most one `#id`",
                );
            }
            id_seen = true;
        }
        attrs.push(attr);
    }

    let shown = name.as_ref().map_or("div", |n| n.text.as_str()).to_owned();
    let is_void = name
        .as_ref()
        .is_some_and(|n| VOID_ELEMENTS.contains(&n.text.to_ascii_lowercase().as_str()));

    let body = if input.peek(Token![;]) {
        input.parse::<Token![;]>()?;
        None
    } else if input.peek(Token![/]) {
        let slash: Token![/] = input.parse()?;
        diags.error(
            slash.span,
            format!("void elements end with `;`, not `/`: write `{shown};`"),
        );
        None
    } else if input.peek(Brace) {
        let brace_span = input.span();
        let body = parse_block(input, diags)?;
        if is_void {
            diags.error(
                brace_span,
                format!(
                    "`{shown}` is a void element and cannot have a body; write `{shown};` \
                     (attributes go before the `;`)"
                ),
            );
        }
        Some(body)
    } else if input.is_empty() {
        return Err(syn::Error::new(
            head_span,
            format!(
                "unclosed element `{shown}`: give it a body `{shown} {{ ... }}`, \
                 or end a void element with `;` as in `{shown};`"
            ),
        ));
    } else {
        return Err(input.error(format!(
            "expected a body `{{ ... }}` or `;` to close the element `{shown}`; \
             an attribute is `name`, `name=\"value\"`, `name=(expr)`, `name=[option]`, \
             `name[cond]`, `.class` or `#id`"
        )));
    };

    Ok(Element { name, attrs, body })
}

/// `.name` / `#name` / `.(expr)` / `.{ ... }`: a static name or attribute-context markup.
fn parse_name_or_markup(
    input: ParseStream<'_>,
    diags: &mut Diagnostics,
    what: &str,
) -> syn::Result<NameOrMarkup> {
    if input.peek(Ident::peek_any) || input.peek(Lit) {
        if input.peek(Lit) && !input.peek(LitStr) && !input.peek(syn::LitInt) {
            let lit: Lit = input.parse()?;
            diags.error(lit.span(), format!("expected a {what} name"));
            return Ok(NameOrMarkup::Name(HtmlName::synthetic("")));
        }
        parse_html_name(input).map(NameOrMarkup::Name)
    } else if input.peek(Paren) || input.peek(Brace) || input.peek(Token![@]) {
        match parse_markup(input, diags, Context::Attribute)? {
            Some(m) => Ok(NameOrMarkup::Markup(Box::new(m))),
            None => Ok(NameOrMarkup::Name(HtmlName::synthetic(""))),
        }
    } else {
        Err(input.error(format!(
            "expected a {what} name after the shorthand: `name`, `\"name\"` or a splice `(expr)`"
        )))
    }
}

fn parse_toggle(input: ParseStream<'_>) -> syn::Result<Expr> {
    let content;
    let brackets = bracketed!(content in input);
    if content.is_empty() {
        return Err(syn::Error::new(
            brackets.span.join(),
            "empty toggle; write the condition inside the brackets: `[cond]`",
        ));
    }
    content.parse()
}

fn parse_attr(input: ParseStream<'_>, diags: &mut Diagnostics) -> syn::Result<Attr> {
    if input.peek(Token![.]) {
        input.parse::<Token![.]>()?;
        let name = parse_name_or_markup(input, diags, "class")?;
        let toggle = if input.peek(Bracket) {
            Some(parse_toggle(input)?)
        } else {
            None
        };
        return Ok(Attr::Class { name, toggle });
    }
    if input.peek(Token![#]) {
        input.parse::<Token![#]>()?;
        let name = parse_name_or_markup(input, diags, "id")?;
        if input.peek(Bracket) {
            let content;
            let brackets = bracketed!(content in input);
            let _ = content;
            diags.error(
                brackets.span.join(),
                "an id cannot be toggled; use an optional attribute instead: `id=[option]`",
            );
        }
        return Ok(Attr::Id { name });
    }

    if input.peek(Lit) && !input.peek(LitStr) && !input.peek(syn::LitInt) {
        let lit: Lit = input.parse()?;
        return Err(syn::Error::new(
            lit.span(),
            "expected an attribute name: an identifier or a string literal",
        ));
    }
    let name = parse_html_name(input)?;
    if input.peek(Token![?]) {
        input.parse::<Token![?]>()?;
    }

    let kind = if input.peek(Token![=]) {
        let eq: Token![=] = input.parse()?;
        if input.peek(Bracket) {
            AttrKind::Optional(parse_toggle(input)?)
        } else if input.peek(syn::LitBool) {
            let lit: syn::LitBool = input.parse()?;
            let n = &name.text;
            diags.error(
                lit.span,
                format!(
                    "attribute value must be a string: to declare an empty attribute, \
                     omit the `=` and write `{n}`; to toggle it, write `{n}[cond]`"
                ),
            );
            AttrKind::Empty
        } else if input.is_empty()
            || input.peek(Ident::peek_any)
            || input.peek(Token![;])
            || input.peek(Token![.])
            || input.peek(Token![#])
        {
            let n = &name.text;
            return Err(syn::Error::new(
                if input.is_empty() {
                    eq.span
                } else {
                    input.span()
                },
                format!(
                    "expected a value after `{n}=`: write `{n}=\"value\"`, `{n}=(expr)` or \
                     `{n}=[option]`; an attribute without a value is written `{n}` (or `{n}[cond]`)"
                ),
            ));
        } else {
            match parse_markup(input, diags, Context::Attribute)? {
                Some(Markup::Let(local)) => {
                    diags.error(
                        local.let_token.span,
                        "`@let` bindings are only allowed inside blocks",
                    );
                    AttrKind::Empty
                }
                Some(m) => AttrKind::Value(Box::new(m)),
                None => AttrKind::Empty,
            }
        }
    } else if input.peek(Bracket) {
        AttrKind::Toggle(parse_toggle(input)?)
    } else {
        AttrKind::Empty
    };
    Ok(Attr::Named { name, kind })
}

/// After `@`: dispatches on the keyword.
fn parse_control_flow(
    input: ParseStream<'_>,
    diags: &mut Diagnostics,
    ctx: Context,
    at_span: Span,
) -> syn::Result<Option<Markup>> {
    if !input.peek(Ident::peek_any) {
        return Err(input
            .error("expected a keyword after `@`: `@if`, `@for`, `@while`, `@match` or `@let`"));
    }
    parse_control_flow_keyword(input, diags, ctx, at_span)
}

/// Parses control flow starting at its keyword (the `@`, if any, is already consumed).
fn parse_control_flow_keyword(
    input: ParseStream<'_>,
    diags: &mut Diagnostics,
    ctx: Context,
    at_span: Span,
) -> syn::Result<Option<Markup>> {
    let fork = input.fork();
    let kw = fork.call(Ident::parse_any)?;
    let kw_span = at_span.join(kw.span()).unwrap_or_else(|| kw.span());
    match kw.to_string().as_str() {
        "if" => parse_if(input, diags, ctx).map(|i| Some(Markup::If(i))),
        "else" => {
            input.call(Ident::parse_any)?;
            diags.error(
                kw_span,
                "`@else` without a preceding `@if`; write `@if cond { ... } @else { ... }`",
            );
            if input.peek(Token![if]) {
                parse_if(input, diags, ctx)?;
            } else if input.peek(Brace) {
                parse_block_in(input, diags, ctx)?;
            }
            Ok(None)
        }
        "for" => parse_for(input, diags, ctx).map(|f| f.map(|f| Markup::For(Box::new(f)))),
        "while" => {
            input.parse::<Token![while]>()?;
            let cond = input.call(Expr::parse_without_eager_brace)?;
            let body = parse_block_in(input, diags, ctx)?;
            Ok(Some(Markup::While(WhileLoop { cond, body })))
        }
        "match" => parse_match(input, diags, ctx).map(|m| Some(Markup::Match(m))),
        "let" => {
            let stmt: Stmt = input.parse()?;
            match stmt {
                Stmt::Local(local) => Ok(Some(Markup::Let(Box::new(local)))),
                other => {
                    diags.error(other.span(), "expected `@let pattern = expression;`");
                    Ok(None)
                }
            }
        }
        name @ ("elif" | "elsif" | "elseif" | "else_if") => {
            input.call(Ident::parse_any)?;
            diags.error(
                kw_span,
                format!("unknown keyword `@{name}`; write `@else if cond {{ ... }}`"),
            );
            // Recover: skip the condition and the block as `@else if` would.
            input.call(Expr::parse_without_eager_brace)?;
            parse_block_in(input, diags, ctx)?;
            Ok(None)
        }
        name => {
            input.call(Ident::parse_any)?;
            diags.error(
                kw_span,
                format!(
                    "unknown keyword `@{name}`; the keywords are `@if`, `@else`, `@for`, \
                     `@while`, `@match` and `@let`"
                ),
            );
            skip_to_block(input);
            Ok(None)
        }
    }
}

/// Error recovery: skips tokens up to and including the next `{ ... }` group.
fn skip_to_block(input: ParseStream<'_>) {
    let _ = input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tt, next)) = rest.token_tree() {
            rest = next;
            if let TokenTree::Group(g) = tt {
                if g.delimiter() == Delimiter::Brace {
                    break;
                }
            }
        }
        Ok(((), rest))
    });
}

/// A `{ ... }` block in the given context.
fn parse_block_in(
    input: ParseStream<'_>,
    diags: &mut Diagnostics,
    ctx: Context,
) -> syn::Result<Markups> {
    if !input.peek(Brace) {
        return Err(input.error("expected a block `{ ... }`"));
    }
    let content;
    braced!(content in input);
    let mut items = Vec::new();
    while !content.is_empty() {
        if let Some(item) = parse_markup(&content, diags, ctx)? {
            items.push(item);
        }
    }
    Ok(Markups { items })
}

fn parse_if(input: ParseStream<'_>, diags: &mut Diagnostics, ctx: Context) -> syn::Result<IfChain> {
    input.parse::<Token![if]>()?;
    let cond = input.call(Expr::parse_without_eager_brace)?;
    let then = parse_block_in(input, diags, ctx)?;
    let otherwise = if input.peek(Token![@]) && input.peek2(Token![else]) {
        input.parse::<Token![@]>()?;
        input.parse::<Token![else]>()?;
        if input.peek(Token![if]) {
            Some(Else::If(Box::new(parse_if(input, diags, ctx)?)))
        } else if input.peek(Brace) {
            Some(Else::Block(parse_block_in(input, diags, ctx)?))
        } else {
            return Err(input.error(
                "expected `if` or a block after `@else`: write `@else if cond { ... }` or `@else { ... }`",
            ));
        }
    } else {
        None
    };
    Ok(IfChain {
        cond,
        then,
        otherwise,
    })
}

fn parse_for(
    input: ParseStream<'_>,
    diags: &mut Diagnostics,
    ctx: Context,
) -> syn::Result<Option<ForLoop>> {
    input.parse::<Token![for]>()?;
    let pat = input.call(Pat::parse_multi_with_leading_vert)?;
    if !input.peek(Token![in]) {
        let err = syn::Error::new(
            input.span(),
            "expected `in` after the loop pattern; write `@for item in items { ... }`",
        );
        if input.peek(Brace) {
            diags.push(err);
            parse_block_in(input, diags, ctx)?;
            return Ok(None);
        }
        return Err(err);
    }
    input.parse::<Token![in]>()?;
    let expr = input.call(Expr::parse_without_eager_brace)?;
    let key = if input.peek(Token![;]) {
        input.parse::<Token![;]>()?;
        let key_kw = input.call(Ident::parse_any).ok();
        if !matches!(&key_kw, Some(k) if k == "key") || !input.peek(Token![=]) {
            return Err(syn::Error::new(
                key_kw.map_or_else(|| input.span(), |k| k.span()),
                "expected `key = (expr)` after `;` in a keyed loop; \
                 write `@for item in items; key = (item.id) { ... }`",
            ));
        }
        input.parse::<Token![=]>()?;
        if !input.peek(Paren) {
            return Err(input.error(
                "the loop key is a splice: write `key = (expr)`, as in \
                 `@for item in items; key = (item.id) { ... }`",
            ));
        }
        let content;
        parenthesized!(content in input);
        Some(content.parse::<Expr>()?)
    } else {
        None
    };
    let body = parse_block_in(input, diags, ctx)?;
    Ok(Some(ForLoop {
        pat,
        expr,
        key,
        body,
    }))
}

fn parse_match(
    input: ParseStream<'_>,
    diags: &mut Diagnostics,
    ctx: Context,
) -> syn::Result<MatchExpr> {
    input.parse::<Token![match]>()?;
    let expr = input.call(Expr::parse_without_eager_brace)?;
    if !input.peek(Brace) {
        return Err(input.error(
            "expected the arms of `@match` in braces: `@match expr { pat => markup, ... }`",
        ));
    }
    let content;
    braced!(content in input);
    let mut arms = Vec::new();
    while !content.is_empty() {
        let pat = content.call(Pat::parse_multi_with_leading_vert)?;
        let guard = if content.peek(Token![if]) {
            content.parse::<Token![if]>()?;
            Some(content.parse::<Expr>()?)
        } else {
            None
        };
        content.parse::<Token![=>]>()?;
        let body = match parse_markup(&content, diags, ctx)? {
            Some(Markup::Let(local)) => {
                diags.error(
                    local.let_token.span,
                    "`@let` is not a match arm body; wrap it in a block: `pat => { @let x = ..; ... }`",
                );
                Markup::Semi
            }
            Some(m) => m,
            None => Markup::Semi,
        };
        if content.peek(Token![,]) {
            content.parse::<Token![,]>()?;
        }
        arms.push(MatchArm { pat, guard, body });
    }
    Ok(MatchExpr { expr, arms })
}
