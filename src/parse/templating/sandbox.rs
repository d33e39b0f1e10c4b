//! What content templating may use. Content is written once and published for every
//! partner, often by people who never see the build machine, so its templates are data
//! with a few conveniences: partner values, conditions, loops, `snippet("name")` and a
//! list of text filters and tests. Tera's other functions read the machine
//! (`get_env` publishes a CI secret) or make output differ between builds (`now`,
//! `get_random`), and its macros, inheritance and raw includes would bypass the snippet
//! checks; all of them are unavailable, and using one is an error at its line.

use tera::ast::{Expr, ExprVal, Node};

/// Functions content may call. `snippet("name")` is not among them: a tag of its own,
/// it becomes an include before tera sees it.
pub const FUNCTIONS: [&str; 1] = ["range"];

/// Filters content may use: text and list helpers whose output is bounded by their
/// input. `safe` and `default` are tera keywords rather than filters.
pub const FILTERS: [&str; 33] = [
    "default",
    "safe",
    "upper",
    "lower",
    "capitalize",
    "title",
    "trim",
    "trim_start",
    "trim_end",
    "trim_start_matches",
    "trim_end_matches",
    "truncate",
    "wordcount",
    "replace",
    "striptags",
    "spaceless",
    "split",
    "int",
    "float",
    "abs",
    "round",
    "pluralize",
    "length",
    "first",
    "last",
    "nth",
    "join",
    "sort",
    "unique",
    "reverse",
    "slice",
    "concat",
    "get",
];

/// Tests content may use in `{% if x is … %}`.
pub const TESTS: [&str; 11] = [
    "defined",
    "undefined",
    "string",
    "number",
    "iterable",
    "object",
    "odd",
    "even",
    "divisibleby",
    "starting_with",
    "ending_with",
];

/// A tera instance that knows only the functions, filters and tests content may use.
/// Templates named `*.md` (bodies and snippets) write every value as markdown text
/// unless it is marked `| safe`; other names (front matter) write plain text.
pub fn tera() -> tera::Tera {
    let mut tera = tera::Tera::default();
    tera.functions.retain(|name, _| FUNCTIONS.contains(&name.as_str()));
    tera.filters.retain(|name, _| FILTERS.contains(&name.as_str()));
    tera.testers.retain(|name, _| TESTS.contains(&name.as_str()));
    super::meter::register(&mut tera);
    tera.autoescape_on(vec![".md"]);
    tera.set_escape_fn(super::escape::escape_markdown);
    tera
}

/// What content can use, for help lines.
pub fn available() -> String {
    let filters: Vec<&str> =
        FILTERS.iter().copied().filter(|f| !matches!(*f, "default" | "safe")).collect();
    format!(
        "content can call range() and snippet(\"name\"); filters: default, safe, {}; tests: {}",
        filters.join(", "),
        TESTS.join(", ")
    )
}

/// Something a template uses that content may not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forbidden {
    /// How to name it in a message: "`get_env`", "the filter `date`".
    pub what: String,
    /// A word to find it by in the text as written.
    pub find: String,
    pub help: String,
}

impl Forbidden {
    fn new(what: String, find: &str) -> Self {
        Forbidden { what, find: find.to_owned(), help: available() }
    }

    fn help_with(mut self, help: &str) -> Self {
        self.help = help.to_owned();
        self
    }
}

/// Everything in `ast` that content may not use. `snippet_includes` is how many
/// includes the template's `snippet("name")` tags made; any other is written by hand.
pub fn forbidden(ast: &[Node], snippet_includes: usize) -> Vec<Forbidden> {
    let mut found = Vec::new();
    let mut includes = 0;
    visit_nodes(ast, &mut |node| {
        let tag = |tag: &str| {
            Forbidden::new(format!("`{{% {tag} %}}`"), tag)
                .help_with("content can use if, for, set, raw and snippet(\"name\")")
        };
        match node {
            Visit::Node(Node::Include(..)) => includes += 1,
            Visit::Node(Node::Extends(..)) => found.push(tag("extends")),
            Visit::Node(Node::Block(..)) => found.push(tag("block")),
            Visit::Node(Node::Super) => found.push(
                Forbidden::new("`super()`".into(), "super")
                    .help_with("content has no blocks to extend"),
            ),
            Visit::Node(Node::MacroDefinition(..)) => found.push(tag("macro")),
            Visit::Node(Node::ImportMacro(..)) => found.push(tag("import")),
            Visit::Node(Node::FilterSection(..)) => found.push(
                Forbidden::new("`{% filter %}`".into(), "filter")
                    .help_with("apply the filter to a value instead: {{ vars.x | upper }}"),
            ),
            Visit::Node(_) => {}
            Visit::Value(value) => match value {
                ExprVal::FunctionCall(call) if call.name == "snippet" => found.push(
                    Forbidden::new("`snippet(…)` inside an expression".into(), "snippet")
                        .help_with(
                            "include a snippet with a tag of its own: {{ snippet(\"name\") }}",
                        ),
                ),
                ExprVal::FunctionCall(call) if !FUNCTIONS.contains(&call.name.as_str()) => {
                    found.push(Forbidden::new(format!("`{}`", call.name), &call.name));
                }
                ExprVal::Test(test) if !TESTS.contains(&test.name.as_str()) => {
                    found.push(Forbidden::new(format!("the test `{}`", test.name), &test.name))
                }
                ExprVal::MacroCall(call) => {
                    found.push(Forbidden::new(format!("the macro `{}`", call.name), &call.name))
                }
                _ => {}
            },
            Visit::Expr(expr) => {
                for filter in &expr.filters {
                    if !FILTERS.contains(&filter.name.as_str()) {
                        found.push(Forbidden::new(
                            format!("the filter `{}`", filter.name),
                            &filter.name,
                        ));
                    }
                }
            }
        }
    });
    if includes > snippet_includes {
        found.push(
            Forbidden::new("`{% include %}`".into(), "include")
                .help_with("include a snippet with {{ snippet(\"name\") }}"),
        );
    }
    found
}

/// A node, or an expression or value anywhere in one (arguments, operands, list
/// items and the parts of a `~` concatenation included).
enum Visit<'a> {
    Node(&'a Node),
    Expr(&'a Expr),
    Value(&'a ExprVal),
}

fn visit_nodes<'a>(nodes: &'a [Node], f: &mut impl FnMut(Visit<'a>)) {
    for node in nodes {
        f(Visit::Node(node));
        match node {
            Node::VariableBlock(_, expr) => visit_expr(expr, f),
            Node::Set(_, set) => visit_expr(&set.value, f),
            Node::MacroDefinition(_, definition, _) => {
                definition.args.values().flatten().for_each(|e| visit_expr(e, f));
                visit_nodes(&definition.body, f);
            }
            Node::FilterSection(_, section, _) => {
                section.filter.args.values().for_each(|e| visit_expr(e, f));
                visit_nodes(&section.body, f);
            }
            Node::Block(_, block, _) => visit_nodes(&block.body, f),
            Node::Forloop(_, forloop, _) => {
                visit_expr(&forloop.container, f);
                visit_nodes(&forloop.body, f);
                visit_nodes(forloop.empty_body.as_deref().unwrap_or_default(), f);
            }
            Node::If(branches, _) => {
                for (_, condition, body) in &branches.conditions {
                    visit_expr(condition, f);
                    visit_nodes(body, f);
                }
                if let Some((_, body)) = &branches.otherwise {
                    visit_nodes(body, f);
                }
            }
            _ => {}
        }
    }
}

fn visit_expr<'a>(expr: &'a Expr, f: &mut impl FnMut(Visit<'a>)) {
    f(Visit::Expr(expr));
    for filter in &expr.filters {
        filter.args.values().for_each(|e| visit_expr(e, f));
    }
    visit_value(&expr.val, f);
}

fn visit_value<'a>(value: &'a ExprVal, f: &mut impl FnMut(Visit<'a>)) {
    f(Visit::Value(value));
    match value {
        ExprVal::Math(math) => {
            visit_expr(&math.lhs, f);
            visit_expr(&math.rhs, f);
        }
        ExprVal::Logic(logic) => {
            visit_expr(&logic.lhs, f);
            visit_expr(&logic.rhs, f);
        }
        ExprVal::In(within) => {
            visit_expr(&within.lhs, f);
            visit_expr(&within.rhs, f);
        }
        ExprVal::Test(test) => test.args.iter().for_each(|e| visit_expr(e, f)),
        ExprVal::MacroCall(call) => call.args.values().for_each(|e| visit_expr(e, f)),
        ExprVal::FunctionCall(call) => call.args.values().for_each(|e| visit_expr(e, f)),
        ExprVal::Array(items) => items.iter().for_each(|e| visit_expr(e, f)),
        ExprVal::StringConcat(concat) => {
            for value in &concat.values {
                visit_value(value, f);
            }
        }
        ExprVal::String(_)
        | ExprVal::Int(_)
        | ExprVal::Float(_)
        | ExprVal::Bool(_)
        | ExprVal::Ident(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        let template = tera::Template::new("t.md", None, text).unwrap();
        forbidden(&template.ast, 0).into_iter().map(|f| f.what).collect()
    }

    #[test]
    fn machine_readers_are_forbidden_wherever_they_hide() {
        assert_eq!(problems("{{ get_env(name='X') }}"), ["`get_env`"]);
        assert_eq!(problems("{% set x = now() %}"), ["`now`"]);
        assert_eq!(problems("{% if x == get_random(end=2) %}{% endif %}"), ["`get_random`"]);
        assert_eq!(problems("{{ x | replace(from='a', to=get_env(name='X')) }}"), ["`get_env`"]);
        assert_eq!(problems("{% for i in [1, throw(message='x')] %}{% endfor %}"), ["`throw`"]);
        assert_eq!(problems("{{ 'a' ~ get_env(name='X') }}"), ["`get_env`"]);
        assert_eq!(
            problems("{{ x | date }}{{ x | json_encode }}"),
            ["the filter `date`", "the filter `json_encode`"]
        );
        assert_eq!(problems("{% if x is matching('a') %}{% endif %}"), ["the test `matching`"]);
    }

    #[test]
    fn allowed_content_passes() {
        let text = "{% for i in range(end=3) %}{{ i }}{% endfor %}{% set n = vars.x | default(value='y') | upper %}\
                    {% if partner.id is starting_with('a') and 'sso' in partner.features %}{{ n | safe }}{% endif %}";
        assert!(problems(text).is_empty(), "{:?}", problems(text));
    }

    #[test]
    fn sandbox_tera_has_only_the_allowed_names() {
        let tera = tera();
        // The meters are registered too; templates cannot name them (see `forbidden`).
        let visible = |name: &&String| !name.starts_with("__livery_");
        assert!(tera.functions.keys().filter(visible).all(|n| FUNCTIONS.contains(&n.as_str())));
        assert!(tera.filters.keys().filter(visible).all(|n| FILTERS.contains(&n.as_str())));
        assert!(!tera.functions.contains_key("get_env"));
        let mut context = tera::Context::new();
        context.insert("x", "a");
        let mut tera = tera;
        assert!(tera.render_str("{{ get_env(name='HOME') }}", &context).is_err());
    }
}
