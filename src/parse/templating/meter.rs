//! Every content render has a budget, so no page can hang or exhaust a build (or the dev
//! server) however its loops, snippets and filters combine: `range(end=2000000000)`, a
//! snippet included ten times nine deep, a string doubled forty times.
//!
//! Tera has no hooks for this, so the checked template's syntax tree is instrumented
//! before it is rendered (see `instrument`): each loop charges its iterations times the
//! size of its body up front, each snippet include charges the size of the snippet,
//! and every value a template reads, joins or filters charges its size in bytes. The
//! charges count against a per-render budget kept in a thread-local (a render runs on
//! one thread from start to end); the first charge over it fails the render, and
//! `render` says which limit was hit. The page's output is bounded as it is written.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::Arc;

use tera::Value;

use crate::model::page::MAX_PAGE_BYTES;

/// Template steps a page's loops and snippet includes may take: a step is one node of a
/// loop body or snippet (or 256 bytes of its literal text), once per time it runs.
pub const MAX_STEPS: u64 = 1_000_000;

/// Bytes of values one page's templating may read, filter and join.
pub const MAX_TEXT_BYTES: u64 = 64 * 1024 * 1024;

/// The limit a render ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Steps,
    Text,
    /// `range()` asked for this many numbers.
    Range(u64),
    /// The page's markdown grew past `MAX_PAGE_BYTES`.
    Output,
}

impl Limit {
    /// (message, help)
    pub fn message(self) -> (String, String) {
        let megabytes = |bytes: u64| bytes / (1024 * 1024);
        match self {
            Limit::Output => (
                format!(
                    "after templating and snippets this page is larger than {} MB",
                    megabytes(MAX_PAGE_BYTES as u64)
                ),
                format!(
                    "pages may be at most {} MB once snippets are included and loops have run: include snippets fewer times, shorten loops, or split the page",
                    megabytes(MAX_PAGE_BYTES as u64)
                ),
            ),
            Limit::Range(count) => (
                format!(
                    "range() would count {count} numbers; content may loop at most {MAX_STEPS} times per page"
                ),
                "count to less, e.g. range(end=100)".to_owned(),
            ),
            Limit::Steps => (
                format!(
                    "loops and snippets on this page do too much work (more than {MAX_STEPS} template steps)"
                ),
                "each run of a loop body and each snippet include counts its tags and text: shorten the loops, nest fewer of them, or include snippets fewer times".to_owned(),
            ),
            Limit::Text => (
                format!(
                    "templating on this page builds more than {} MB of text",
                    megabytes(MAX_TEXT_BYTES)
                ),
                "values are joined, replaced or repeated here far beyond what a page can hold: build less text, or loop fewer times".to_owned(),
            ),
        }
    }

    /// Words that lead to where a page's templating repeats or grows.
    pub fn culprits(self) -> &'static [&'static str] {
        match self {
            Limit::Output => &["snippet", "for"],
            Limit::Range(_) => &["range"],
            Limit::Steps => &["for", "snippet"],
            Limit::Text => &["for", "snippet", "replace", "join", "~"],
        }
    }
}

/// How rendering one content template ended.
pub enum Rendered {
    Text(String),
    Failed(tera::Error),
    OverLimit(Limit),
}

/// Renders template `name` of an instrumented `tera` within the budget, and within
/// `MAX_PAGE_BYTES` of output, checked as it is written.
pub fn render(tera: &tera::Tera, name: &str, context: &tera::Context) -> Rendered {
    let mut out = BoundedOutput { bytes: Vec::new(), overflowed: false };
    BUDGET.set(Budget::default());
    let result = tera.render_to(name, context, &mut out);
    // Tera swallows some errors (a failing `{% if %}` condition is false), so the
    // budget is asked even after success.
    if let Some(limit) = BUDGET.get().exceeded {
        return Rendered::OverLimit(limit);
    }
    if out.overflowed {
        return Rendered::OverLimit(Limit::Output);
    }
    match result {
        // Tera writes whole strings, so the bytes are UTF-8.
        Ok(()) => Rendered::Text(String::from_utf8_lossy(&out.bytes).into_owned()),
        Err(error) => Rendered::Failed(error),
    }
}

/// Markdown output that refuses to grow past `MAX_PAGE_BYTES`.
struct BoundedOutput {
    bytes: Vec<u8>,
    overflowed: bool,
}

impl std::io::Write for BoundedOutput {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_PAGE_BYTES {
            self.overflowed = true;
            return Err(std::io::Error::other("the page is larger than its limit"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[derive(Clone, Copy, Default)]
struct Budget {
    steps: u64,
    text: u64,
    exceeded: Option<Limit>,
}

thread_local! {
    static BUDGET: Cell<Budget> = Cell::new(Budget::default());
}

fn exceed(limit: Limit) -> tera::Error {
    let mut budget = BUDGET.get();
    budget.exceeded.get_or_insert(limit);
    BUDGET.set(budget);
    tera::Error::msg("content templating ran out of its budget")
}

fn charge_steps(steps: u64) -> tera::Result<()> {
    let mut budget = BUDGET.get();
    budget.steps = budget.steps.saturating_add(steps);
    charge(budget, budget.steps > MAX_STEPS, Limit::Steps)
}

fn charge_text(bytes: u64) -> tera::Result<()> {
    let mut budget = BUDGET.get();
    budget.text = budget.text.saturating_add(bytes);
    charge(budget, budget.text > MAX_TEXT_BYTES, Limit::Text)
}

/// Keeps a charged `budget`, or fails when it is `over` (and ever after the first
/// failure, so a render whose error tera swallowed stops doing work).
fn charge(budget: Budget, over: bool, limit: Limit) -> tera::Result<()> {
    if over || budget.exceeded.is_some() {
        return Err(exceed(limit));
    }
    BUDGET.set(budget);
    Ok(())
}

/// Fails, without charging, if `bytes` more would not fit: checked before a filter
/// builds its output, so the allocation itself never happens.
fn fits_text(bytes: u64) -> tera::Result<()> {
    if BUDGET.get().text.saturating_add(bytes) > MAX_TEXT_BYTES {
        return Err(exceed(Limit::Text));
    }
    Ok(())
}

/// Roughly the bytes a value occupies; what copying or scanning it costs.
fn size(value: &Value) -> u64 {
    match value {
        Value::String(s) => s.len() as u64 + 8,
        Value::Array(items) => 8 + items.iter().map(size).sum::<u64>(),
        Value::Object(map) => 8 + map.iter().map(|(k, v)| k.len() as u64 + size(v)).sum::<u64>(),
        Value::Null | Value::Bool(_) | Value::Number(_) => 8,
    }
}

fn size_of_args(args: &HashMap<String, Value>) -> u64 {
    args.values().map(size).sum()
}

/// The meters `instrument` puts into templates, by name (the checks have run, so no
/// template names them itself).
pub const TEXT: &str = "__livery_text";
pub const VALUE: &str = "__livery_value";
pub const LOOP: &str = "__livery_loop";
pub const INCLUDE: &str = "__livery_include";
pub const CONCAT: &str = "__livery_concat";

/// Replaces the allowed functions, filters and tests of `tera` with metered ones, and
/// adds the meters `instrument` puts into templates.
pub fn register(tera: &mut tera::Tera) {
    let filters: Vec<(String, Arc<dyn tera::Filter>)> = tera.filters.drain().collect();
    for (name, inner) in filters {
        let output = match name.as_str() {
            "replace" => Output::Replace,
            "join" => Output::Join,
            "split" => Output::Split,
            // Case changes can triple UTF-8 text; the others copy at most their input.
            _ => Output::Scaled(3),
        };
        tera.filters.insert(name, Arc::new(MeteredFilter { inner, output }));
    }
    let testers: Vec<(String, Arc<dyn tera::Test>)> = tera.testers.drain().collect();
    for (name, inner) in testers {
        tera.testers.insert(name, Arc::new(MeteredTest(inner)));
    }
    if let Some(range) = tera.functions.remove("range") {
        tera.functions.insert("range".into(), Arc::new(BoundedRange(range)));
    }
    tera.register_filter(TEXT, as_text);
    tera.register_filter(VALUE, |value: &Value, _: &HashMap<String, Value>| {
        charge_text(size(value))?;
        Ok(value.clone())
    });
    tera.register_filter(LOOP, |value: &Value, args: &HashMap<String, Value>| {
        let weight = args.get("weight").and_then(Value::as_u64).unwrap_or(1);
        let iterations = match value {
            Value::Array(items) => items.len() as u64,
            Value::Object(map) => map.len() as u64,
            Value::String(s) => s.chars().count() as u64,
            _ => 0,
        };
        charge_steps(iterations.saturating_mul(weight))?;
        charge_text(size(value))?;
        Ok(value.clone())
    });
    tera.register_function(INCLUDE, |args: &HashMap<String, Value>| {
        charge_steps(args.get("weight").and_then(Value::as_u64).unwrap_or(1))?;
        Ok(Value::String(String::new()))
    });
    tera.register_function(CONCAT, |args: &HashMap<String, Value>| {
        let value = args.get("v").cloned().unwrap_or(Value::Null);
        charge_text(size(&value))?;
        match value {
            Value::String(_) | Value::Number(_) => Ok(value),
            _ => Err(tera::Error::msg("`~` joins strings and numbers, not lists or maps")),
        }
    });
}

/// How large a filter's output can be, to refuse before it is built.
#[derive(Clone, Copy)]
enum Output {
    Replace,
    Join,
    Split,
    /// At most this many times the input and arguments.
    Scaled(u64),
}

struct MeteredFilter {
    inner: Arc<dyn tera::Filter>,
    output: Output,
}

impl tera::Filter for MeteredFilter {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let input = size(value) + size_of_args(args);
        charge_text(input)?;
        let arg = |name: &str| args.get(name).and_then(Value::as_str).unwrap_or_default();
        let bound = match (self.output, value) {
            (Output::Replace, Value::String(s)) => {
                let (from, to) = (arg("from"), arg("to"));
                let count = if from.is_empty() {
                    s.chars().count() as u64 + 1
                } else {
                    s.matches(from).count() as u64
                };
                s.len() as u64 + count.saturating_mul(to.len() as u64)
            }
            (Output::Join, Value::Array(items)) => {
                input + (items.len() as u64).saturating_mul(arg("sep").len() as u64)
            }
            (Output::Split, Value::String(s)) => {
                let pattern = arg("pat");
                let parts = if pattern.is_empty() {
                    s.chars().count() as u64 + 2
                } else {
                    s.matches(pattern).count() as u64 + 1
                };
                s.len() as u64 + parts * 32
            }
            (Output::Scaled(factor), _) => input.saturating_mul(factor),
            // The filter will reject a value of the wrong type.
            _ => input,
        };
        fits_text(bound)?;
        let output = self.inner.filter(value, args)?;
        charge_text(size(&output))?;
        Ok(output)
    }

    fn is_safe(&self) -> bool {
        self.inner.is_safe()
    }
}

struct MeteredTest(Arc<dyn tera::Test>);

impl tera::Test for MeteredTest {
    fn test(&self, value: Option<&Value>, args: &[Value]) -> tera::Result<bool> {
        charge_text(value.map_or(0, size) + args.iter().map(size).sum::<u64>())?;
        self.0.test(value, args)
    }
}

/// Tera's `range`, which first builds the whole list (2,000,000,000 numbers are 64 GB)
/// and never ends with `step_by=0`, refused before either can happen.
struct BoundedRange(Arc<dyn tera::Function>);

impl tera::Function for BoundedRange {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let number = |name: &str| args.get(name).and_then(Value::as_u64);
        let (start, end, step) =
            (number("start").unwrap_or(0), number("end"), number("step_by").unwrap_or(1));
        if step == 0 {
            return Err(tera::Error::msg("range() with step_by=0 never ends; use 1 or more"));
        }
        if let Some(end) = end {
            let count = end.saturating_sub(start).div_ceil(step);
            if count > MAX_STEPS {
                return Err(exceed(Limit::Range(count)));
            }
            charge_text(count * 16)?;
        }
        // Tera reports a missing or mistyped argument in its own words.
        self.0.call(args)
    }
}

/// Lists and maps as tera writes them (`[a, b]`), but as a string, so that escaping
/// reaches the strings inside them: tera escapes only values that are strings.
fn as_text(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    fn write(value: &Value, out: &mut String) {
        match value {
            Value::String(s) => out.push_str(s),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write(item, out);
                }
                out.push(']');
            }
            Value::Object(_) => out.push_str("[object]"),
            Value::Null => {}
            Value::Bool(_) | Value::Number(_) => out.push_str(&value.to_string()),
        }
    }
    charge_text(size(value))?;
    Ok(match value {
        Value::Array(_) | Value::Object(_) => {
            let mut text = String::new();
            write(value, &mut text);
            Value::String(text)
        }
        other => other.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders `text` as an instrumented content template: the text, or the limit or
    /// error that stopped it.
    fn run(text: &str) -> Result<String, String> {
        let mut template = tera::Template::new("t.md", None, text).unwrap();
        super::super::instrument::instrument(&mut template.ast, &HashMap::new());
        let mut tera = super::super::sandbox::tera();
        tera.templates.insert("t.md".into(), template);
        let mut context = tera::Context::new();
        context.insert("xs", &["a", "b"]);
        context.insert("name", "A*");
        match render(&tera, "t.md", &context) {
            Rendered::Text(text) => Ok(text),
            Rendered::OverLimit(limit) => Err(format!("{limit:?}")),
            Rendered::Failed(error) => {
                Err(crate::support::tera_errors::error_chain(&error).join(": "))
            }
        }
    }

    #[test]
    fn metered_templates_render_as_before() {
        let text = "{% for x in xs %}{{ x }}{% endfor %} {{ name }} {{ 'a' ~ name }} \
                    {{ xs | join(sep='-') }} {% if 'a' in xs and name is string %}yes{% endif %} {{ xs }}";
        assert_eq!(run(text).unwrap(), "ab A&#42; aA&#42; a-b yes &#91;a, b&#93;");
        assert_eq!(
            run("{{ name | safe }} {% set n = name | lower %}{{ n | safe }}").unwrap(),
            "A* a*"
        );
    }

    #[test]
    fn runaway_templates_stop_at_their_limit() {
        let nested =
            "{% for i in range(end=1000) %}{% for j in range(end=1000) %}{% endfor %}{% endfor %}";
        assert_eq!(run(nested).unwrap_err(), "Steps");
        assert_eq!(run("{{ range(end=2000000000) | length }}").unwrap_err(), "Range(2000000000)");
        let doubling = "{% set s = 'xxxxxxxxxxxxxxxx' %}{% for i in range(end=30) %}{% set_global s = s ~ s %}{% endfor %}";
        assert_eq!(run(doubling).unwrap_err(), "Text");
        let replace = format!("{{{{ 'a'{} }}}}", " | replace(from='a', to='aaaaaaaaaa')".repeat(9));
        assert_eq!(run(&replace).unwrap_err(), "Text");
        assert_eq!(run("{{ name }}").unwrap(), "A&#42;", "each render starts a new budget");
    }

    #[test]
    fn mistakes_the_meters_see_are_explained() {
        assert!(run("{{ 'a' ~ xs }}").unwrap_err().contains("`~` joins strings and numbers"));
        assert!(run("{{ range(end=5, step_by=0) }}").unwrap_err().contains("step_by=0 never ends"));
    }
}
