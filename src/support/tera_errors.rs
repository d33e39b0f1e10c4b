//! What tera's errors mean: the cause chain (tera hides the real cause at the
//! top) and the line and column of a syntax error.

pub fn error_chain(error: &tera::Error) -> Vec<String> {
    let mut chain = vec![error.to_string()];
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        chain.push(cause.to_string());
        source = cause.source();
    }
    chain
}

pub fn quoted_names(message: &str) -> Vec<String> {
    message.split(['\'', '"', '`']).skip(1).step_by(2).map(str::to_owned).collect()
}

/// Where a tera syntax error is (line, column) and what was expected there: pest
/// reports ` --> line:col` and, last, `= expected …`.
pub fn syntax_position(error: &tera::Error) -> (Option<(usize, usize)>, String) {
    let detail = error_chain(error).pop().unwrap_or_default();
    let position = detail.lines().find_map(|line| {
        let (line, col) = line.trim().strip_prefix("--> ")?.split_once(':')?;
        Some((line.trim().parse::<usize>().ok()?, col.trim().parse::<usize>().ok()?))
    });
    let expected =
        detail.lines().rev().find_map(|l| l.trim().strip_prefix("= ")).unwrap_or("invalid syntax");
    (position, expected.to_owned())
}
