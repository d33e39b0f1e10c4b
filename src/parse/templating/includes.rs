//! The include graph of snippets: includes that form a cycle would recurse forever, and
//! chains of includes too deep would overflow the stack while rendering; both are
//! errors before anything renders.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::error::Diagnostic;
use crate::model::content::Templated;
use crate::model::page::SNIPPETS_DIR;
use crate::support::template_bounds::MAX_SNIPPET_DEPTH;

/// Template name → (project-relative path, template).
type Sources = BTreeMap<String, (PathBuf, Templated)>;

/// The snippets `name` includes, as template names, with the line of each call.
fn includes(sources: &Sources, name: &str) -> Vec<(String, usize)> {
    sources.get(name).map_or_else(Vec::new, |(_, t)| {
        t.snippets.iter().map(|(n, line)| (format!("{SNIPPETS_DIR}/{n}.md"), *line)).collect()
    })
}

/// `escalation` for `_snippets/escalation.md`; a page keeps its path.
fn short_name(key: &str) -> String {
    key.strip_prefix("_snippets/").and_then(|k| k.strip_suffix(".md")).unwrap_or(key).to_owned()
}

/// Include cycles (`a` includes `b` includes `a`) would recurse forever: report each once.
pub fn cycles(sources: &Sources) -> Vec<Diagnostic> {
    let includes = |name: &str| includes(sources, name);
    // The shortest chain of includes leading from `from` to `to`, both included.
    let chain = |from: &str, to: &str| -> Option<Vec<String>> {
        let mut came_from: BTreeMap<String, String> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([from.to_owned()]);
        while let Some(current) = queue.pop_front() {
            if current == to {
                let mut path = vec![current];
                while let Some(previous) = came_from.get(path.last().unwrap()) {
                    path.push(previous.clone());
                }
                path.reverse();
                return Some(path);
            }
            for (next, _) in includes(&current) {
                if next != from && !came_from.contains_key(&next) {
                    came_from.insert(next.clone(), current.clone());
                    queue.push_back(next);
                }
            }
        }
        None
    };
    let mut reported = BTreeSet::new();
    let mut problems = Vec::new();
    for start in sources.keys().filter(|k| k.starts_with(SNIPPETS_DIR)) {
        for (first, line) in includes(start) {
            let Some(path) = chain(&first, start) else { continue };
            let members: BTreeSet<String> = path.iter().cloned().collect();
            if !reported.insert(members) {
                continue;
            }
            let names: Vec<String> = std::iter::once(start.as_str())
                .chain(path.iter().map(String::as_str))
                .map(short_name)
                .collect();
            let (file, template) = &sources[start];
            problems.push(
                Diagnostic::new(
                    file,
                    format!("snippets include each other in a cycle: {}", names.join(" → ")),
                )
                .at_line(template.line_offset + line, None)
                .help("remove one of the includes"),
            );
        }
    }
    problems
}

/// Chains of snippets more than `MAX_SNIPPET_DEPTH` includes deep, each reported once, in
/// the template where it first goes one level too deep. Call only without cycles.
pub fn too_deep(sources: &Sources) -> Vec<Diagnostic> {
    // Levels of snippets below each template (0 when it includes none), computed
    // without recursion so that a chain of thousands cannot overflow the stack here.
    let mut depth: BTreeMap<String, usize> = BTreeMap::new();
    for start in sources.keys() {
        let mut stack = vec![(start.clone(), false)];
        while let Some((name, children_done)) = stack.pop() {
            if depth.contains_key(&name) {
                continue;
            }
            let children: Vec<String> = includes(sources, &name)
                .into_iter()
                .map(|(child, _)| child)
                .filter(|child| sources.contains_key(child))
                .collect();
            if children_done {
                let below = children.iter().map(|c| depth[c] + 1).max().unwrap_or(0);
                depth.insert(name, below);
            } else {
                stack.push((name, true));
                stack.extend(children.into_iter().map(|child| (child, false)));
            }
        }
    }
    let deepest_child = |name: &str| {
        includes(sources, name)
            .into_iter()
            .filter(|(child, _)| depth.contains_key(child))
            .max_by_key(|(child, _)| depth[child])
    };
    let mut problems = Vec::new();
    for (name, (path, template)) in sources {
        if depth[name] != MAX_SNIPPET_DEPTH + 1 {
            continue;
        }
        let Some((_, line)) = deepest_child(name) else { continue };
        let mut chain = vec![short_name(name)];
        let mut current = name.clone();
        while let Some((child, _)) = deepest_child(&current) {
            chain.push(short_name(&child));
            current = child;
        }
        problems.push(
            Diagnostic::new(
                path,
                format!(
                    "snippets include each other more than {MAX_SNIPPET_DEPTH} deep: {}",
                    chain.join(" → ")
                ),
            )
            .at_line(template.line_offset + line, None)
            .help("include the inner snippets from the page, or merge some of them"),
        );
    }
    problems
}
