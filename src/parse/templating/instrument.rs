//! Puts the meters of `meter` into a checked template's syntax tree, and makes every
//! `{{ }}` write text that the markdown escape reaches.

use std::collections::HashMap;

use tera::ast::{Expr, ExprVal, FunctionCall, Node, WS};

use super::meter::{CONCAT, INCLUDE, LOOP, TEXT, VALUE};

/// Prepares a checked template for rendering. Every `{{ }}` ends with the text filter
/// (before a final `| safe`, which must stay last to count), so every value it writes,
/// a `~` concatenation included, passes the escape; and the meters go in: loops charge
/// `iterations × weight of the body`, includes the weight of their snippet (from
/// `weights`, by template name), and values the bytes they copy.
pub fn instrument(nodes: &mut Vec<Node>, weights: &HashMap<String, u64>) {
    let mut index = 0;
    while index < nodes.len() {
        match &mut nodes[index] {
            Node::VariableBlock(_, expr) => {
                meter_parts(expr);
                let at = expr.filters.len() - usize::from(expr.is_marked_safe());
                expr.filters.insert(at, call(TEXT, []));
            }
            Node::Set(_, set) => meter_expr(&mut set.value),
            Node::Forloop(_, forloop, _) => {
                meter_parts(&mut forloop.container);
                let weight = weight(&forloop.body).max(1) as i64;
                forloop.container.filters.push(call(LOOP, [("weight", weight)]));
                instrument(&mut forloop.body, weights);
                if let Some(body) = &mut forloop.empty_body {
                    instrument(body, weights);
                }
            }
            Node::If(branches, _) => {
                for (_, condition, body) in &mut branches.conditions {
                    meter_expr(condition);
                    instrument(body, weights);
                }
                if let Some((_, body)) = &mut branches.otherwise {
                    instrument(body, weights);
                }
            }
            Node::Include(_, names, _) => {
                let weight = names.iter().filter_map(|n| weights.get(n)).max().copied();
                let charge = call(INCLUDE, [("weight", weight.unwrap_or(1) as i64)]);
                let meter = Expr::new(ExprVal::FunctionCall(charge));
                nodes.insert(index, Node::VariableBlock(WS::default(), meter));
                index += 1;
            }
            Node::Text(_)
            | Node::Raw(..)
            | Node::Comment(..)
            | Node::Break(_)
            | Node::Continue(_)
            // Not allowed in content (see `sandbox::forbidden`), so never rendered.
            | Node::Super
            | Node::Extends(..)
            | Node::Block(..)
            | Node::MacroDefinition(..)
            | Node::ImportMacro(..)
            | Node::FilterSection(..) => {}
        }
        index += 1;
    }
}

fn call<const N: usize>(name: &str, args: [(&str, i64); N]) -> FunctionCall {
    let args = args
        .into_iter()
        .map(|(key, value)| (key.to_owned(), Expr::new(ExprVal::Int(value))))
        .collect();
    FunctionCall { name: name.to_owned(), args }
}

/// Meters an expression whose own value is metered by its consumer (a loop, `{{ }}`):
/// only what it is made of.
fn meter_parts(expr: &mut Expr) {
    for filter in &mut expr.filters {
        filter.args.values_mut().for_each(meter_expr);
    }
    meter_value(&mut expr.val);
}

/// Meters an expression and, when it reads or builds a value that nothing else meters
/// (a variable, a list, a function's result without filters), the bytes of that value.
fn meter_expr(expr: &mut Expr) {
    meter_parts(expr);
    let filtered = expr.filters.iter().any(|f| !matches!(f.name.as_str(), "safe" | "default"));
    let copies =
        matches!(expr.val, ExprVal::Ident(_) | ExprVal::Array(_) | ExprVal::FunctionCall(_));
    if copies && !filtered {
        let at = expr.filters.len() - usize::from(expr.is_marked_safe());
        expr.filters.insert(at, call(VALUE, []));
    }
}

fn meter_value(value: &mut ExprVal) {
    match value {
        ExprVal::Math(math) => {
            meter_expr(&mut math.lhs);
            meter_expr(&mut math.rhs);
        }
        ExprVal::Logic(logic) => {
            meter_expr(&mut logic.lhs);
            meter_expr(&mut logic.rhs);
        }
        ExprVal::In(within) => {
            meter_expr(&mut within.lhs);
            meter_expr(&mut within.rhs);
        }
        ExprVal::Test(test) => test.args.iter_mut().for_each(meter_expr),
        ExprVal::MacroCall(call) => call.args.values_mut().for_each(meter_expr),
        ExprVal::FunctionCall(call) => call.args.values_mut().for_each(meter_expr),
        ExprVal::Array(items) => items.iter_mut().for_each(meter_expr),
        // Tera copies each part into the result itself: each goes through a function
        // that charges it first.
        ExprVal::StringConcat(concat) => {
            for part in &mut concat.values {
                meter_value(part);
                let inner = std::mem::replace(part, ExprVal::Bool(false));
                let mut charge = call(CONCAT, []);
                charge.args.insert("v".into(), Expr::new(inner));
                *part = ExprVal::FunctionCall(charge);
            }
        }
        ExprVal::String(_)
        | ExprVal::Int(_)
        | ExprVal::Float(_)
        | ExprVal::Bool(_)
        | ExprVal::Ident(_) => {}
    }
}

/// The steps it takes to render `nodes` once, loops' bodies and included snippets not
/// counted: they charge their own when they run.
pub fn weight(nodes: &[Node]) -> u64 {
    nodes
        .iter()
        .map(|node| match node {
            Node::Text(text) | Node::Raw(_, text, _) => 1 + text.len() as u64 / 256,
            Node::VariableBlock(_, expr) => 1 + expr_weight(expr),
            Node::Set(_, set) => 1 + expr_weight(&set.value),
            Node::Forloop(_, forloop, _) => 1 + expr_weight(&forloop.container),
            Node::If(branches, _) => {
                let conditions: u64 = branches
                    .conditions
                    .iter()
                    .map(|(_, condition, body)| expr_weight(condition) + weight(body))
                    .sum();
                1 + conditions + branches.otherwise.as_ref().map_or(0, |(_, body)| weight(body))
            }
            _ => 1,
        })
        .sum()
}

fn expr_weight(expr: &Expr) -> u64 {
    let filters: u64 =
        expr.filters.iter().map(|f| 1 + f.args.values().map(expr_weight).sum::<u64>()).sum();
    1 + filters + value_weight(&expr.val)
}

fn value_weight(value: &ExprVal) -> u64 {
    match value {
        // Tera copies a literal each time it is evaluated.
        ExprVal::String(text) => 1 + text.len() as u64 / 256,
        ExprVal::Math(math) => expr_weight(&math.lhs) + expr_weight(&math.rhs),
        ExprVal::Logic(logic) => expr_weight(&logic.lhs) + expr_weight(&logic.rhs),
        ExprVal::In(within) => expr_weight(&within.lhs) + expr_weight(&within.rhs),
        ExprVal::Test(test) => 1 + test.args.iter().map(expr_weight).sum::<u64>(),
        ExprVal::MacroCall(call) => 1 + call.args.values().map(expr_weight).sum::<u64>(),
        ExprVal::FunctionCall(call) => 1 + call.args.values().map(expr_weight).sum::<u64>(),
        ExprVal::Array(items) => 1 + items.iter().map(expr_weight).sum::<u64>(),
        ExprVal::StringConcat(concat) => concat.values.iter().map(value_weight).sum(),
        ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) | ExprVal::Ident(_) => 1,
    }
}
