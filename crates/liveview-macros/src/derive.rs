//! `#[derive(LiveAssigns)]` and `#[derive(LiveEvent)]`: a view's assigns as a struct, its
//! events as an enum, checked when compiling.
//!
//! The generated code names the runtime through a path, `::liveview` unless the item says
//! otherwise with `#[live(crate = some::path)]` (the runtime's own tests and crates that use
//! `liveview-session` without the facade write `#[live(crate = liveview_session)]`). Everything
//! it names lives in that crate's hidden `__derive` module.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Data, DeriveInput, Fields, LitStr};

/// The `#[live(...)]` options of a derive.
struct Options {
    /// The crate that holds `__derive` (`::liveview` by default).
    krate: TokenStream,
}

fn options(input: &DeriveInput) -> syn::Result<Options> {
    let mut krate = quote!(::liveview);
    for attr in &input.attrs {
        if !attr.path().is_ident("live") {
            continue;
        }
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("crate") {
                let path: syn::Path = meta.value()?.parse()?;
                krate = quote!(#path);
                Ok(())
            } else {
                Err(meta.error("unknown `live` option; the one option is `crate = path`"))
            }
        })?;
    }
    Ok(Options { krate })
}

/// The `#[event(...)]` options of a variant.
#[derive(Default)]
struct VariantOptions {
    /// `rename = "name"`: the event's name, instead of the variant's in `snake_case`.
    rename: Option<LitStr>,
    /// `at = "todo"`: a payload decoded from the value's `todo` key (a form's fields named
    /// `todo[...]`), instead of the whole value.
    at: Option<LitStr>,
}

fn variant_options(attrs: &[syn::Attribute]) -> syn::Result<VariantOptions> {
    let mut options = VariantOptions::default();
    for attr in attrs {
        if !attr.path().is_ident("event") {
            continue;
        }
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                options.rename = Some(meta.value()?.parse::<LitStr>()?);
                Ok(())
            } else if meta.path.is_ident("at") {
                options.at = Some(meta.value()?.parse::<LitStr>()?);
                Ok(())
            } else {
                Err(meta.error(
                    "unknown `event` option; the options are `rename = \"name\"` and `at = \"key\"`",
                ))
            }
        })?;
    }
    Ok(options)
}

/// `AddTodo` as `add_todo`: the event name of a variant that is not renamed.
fn snake_case(ident: &str) -> String {
    let mut out = String::new();
    for (i, c) in ident.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The expansion of `#[derive(LiveAssigns)]`.
pub(crate) fn live_assigns(input: DeriveInput) -> syn::Result<TokenStream> {
    let Options { krate } = options(&input)?;
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new(
            Span::call_site(),
            "`LiveAssigns` is derived for a struct with named fields, one per assign",
        ));
    };
    let Fields::Named(fields) = &data.fields else {
        return Err(syn::Error::new_spanned(
            &data.fields,
            "`LiveAssigns` needs named fields: each field's name is its assign's name",
        ));
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "`LiveAssigns` is derived for a struct without generic parameters",
        ));
    }
    let ident = &input.ident;
    let mut consts = Vec::new();
    let mut assigns = Vec::new();
    let mut names = Vec::new();
    for field in &fields.named {
        let Some(name) = &field.ident else { continue };
        let ty = &field.ty;
        let vis = &field.vis;
        let text = name.to_string();
        let text = text.strip_prefix("r#").unwrap_or(&text).to_owned();
        let doc = format!("The key of the `{text}` assign (a `{}`).", quote!(#ty));
        consts.push(quote! {
            #[doc = #doc]
            #[allow(non_upper_case_globals)]
            #vis const #name: #krate::__derive::Key<#ty> = #krate::__derive::Key::new(#text);
        });
        assigns.push(quote!(socket.assign(Self::#name, self.#name);));
        names.push(text);
    }
    Ok(quote! {
        impl #ident {
            #(#consts)*
        }

        impl #krate::__derive::LiveAssigns for #ident {
            fn assign_to(self, socket: &mut #krate::__derive::SocketCore) {
                #(#assigns)*
            }

            fn names() -> &'static [&'static str] {
                &[#(#names),*]
            }
        }
    })
}

/// The expansion of `#[derive(LiveEvent)]`.
pub(crate) fn live_event(input: DeriveInput) -> syn::Result<TokenStream> {
    let Options { krate } = options(&input)?;
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new(
            Span::call_site(),
            "`LiveEvent` is derived for an enum, one variant per event",
        ));
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "`LiveEvent` is derived for an enum without generic parameters",
        ));
    }
    let ident = &input.ident;
    let d = quote!(#krate::__derive);
    let value = format_ident!("__liveview_value");
    let mut decode_arms = Vec::new();
    let mut name_arms = Vec::new();
    let mut value_arms = Vec::new();
    let mut names = Vec::new();
    let mut consts = Vec::new();
    let vis = &input.vis;
    for variant in &data.variants {
        let v = &variant.ident;
        let options = variant_options(&variant.attrs)?;
        if options.at.is_some()
            && !matches!(&variant.fields, Fields::Unnamed(f) if f.unnamed.len() == 1)
        {
            return Err(syn::Error::new_spanned(
                v,
                "`at` applies to a variant with one unnamed field, the payload it decodes",
            ));
        }
        let event = match &options.rename {
            Some(lit) => lit.value(),
            None => snake_case(&v.to_string()),
        };
        if !matches!(variant.fields, Fields::Unit) {
            let konst = format_ident!("{}", snake_case(&v.to_string()));
            let doc = format!(
                "The name of the [`{v}`](Self::{v}) event alone (`{event}`), for a form's \
                 `phx-submit` or `phx-change`."
            );
            consts.push(quote! {
                #[doc = #doc]
                #[allow(non_upper_case_globals)]
                #vis const #konst: #d::EventName = #d::EventName::new(#event);
            });
        }
        if names.contains(&event) {
            return Err(syn::Error::new_spanned(
                v,
                format!("two variants are the event `{event}`; rename one with #[event(rename = \"...\")]"),
            ));
        }
        match &variant.fields {
            Fields::Unit => {
                decode_arms.push(quote!(#event => ::core::result::Result::Ok(Self::#v),));
                name_arms.push(quote!(Self::#v => #event,));
            }
            Fields::Named(fields) => {
                let idents: Vec<_> = fields
                    .named
                    .iter()
                    .filter_map(|f| f.ident.clone())
                    .collect();
                let texts: Vec<String> = idents
                    .iter()
                    .map(|i| {
                        let t = i.to_string();
                        t.strip_prefix("r#").unwrap_or(&t).to_owned()
                    })
                    .collect();
                decode_arms.push(quote! {
                    #event => ::core::result::Result::Ok(Self::#v {
                        #(#idents: #d::field(#value, #texts)?,)*
                    }),
                });
                name_arms.push(quote!(Self::#v { .. } => #event,));
                value_arms.push(quote! {
                    Self::#v { #(#idents),* } => ::std::vec![#((#texts, #d::value_text(#idents))),*],
                });
            }
            Fields::Unnamed(fields) => {
                if fields.unnamed.len() != 1 {
                    return Err(syn::Error::new_spanned(
                        &variant.fields,
                        "an event variant carries one payload decoded from the whole value \
                         (`Save(Form<NewTodo>)`), or named fields sent as `phx-value-*` \
                         (`Delete { id: u64 }`)",
                    ));
                }
                let ty = &fields.unnamed[0].ty;
                let at = match &options.at {
                    Some(lit) => quote!(::core::option::Option::Some(#lit)),
                    None => quote!(::core::option::Option::None),
                };
                decode_arms.push(quote! {
                    #event => ::core::result::Result::Ok(Self::#v({
                        #[allow(unused_imports)]
                        use #d::{DecodeForm as _, DecodeValue as _};
                        (&&#d::Payload::<#ty>::new()).decode(#value, #at)?
                    })),
                });
                name_arms.push(quote!(Self::#v(..) => #event,));
            }
        }
        names.push(event);
    }
    let fallback = if value_arms.len() < data.variants.len() {
        quote!(_ => ::std::vec::Vec::new(),)
    } else {
        quote!()
    };
    let name_match = if name_arms.is_empty() {
        quote!(match *self {})
    } else {
        quote!(match self { #(#name_arms)* })
    };
    let value_match = if data.variants.is_empty() {
        quote!(match *self {})
    } else {
        quote!(match self { #(#value_arms)* #fallback })
    };
    Ok(quote! {
        impl #ident {
            #(#consts)*
        }

        impl #d::EventBinding for #ident {
            fn event_name(&self) -> &str {
                #name_match
            }

            #[allow(unused_variables)]
            fn event_values(&self) -> ::std::vec::Vec<(&'static str, ::std::string::String)> {
                #value_match
            }
        }

        impl #d::LiveEvent for #ident {
            fn decode(
                event: &str,
                #value: &#d::Value,
            ) -> ::core::result::Result<Self, #d::ViewError> {
                match event {
                    #(#decode_arms)*
                    other => ::core::result::Result::Err(#d::ViewError::unknown_event(other)),
                }
            }

            fn names() -> &'static [&'static str] {
                &[#(#names),*]
            }
        }
    })
}
