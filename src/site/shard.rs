//! `--shard i/n`: splits the sites to build across the jobs of a CI matrix. A site is
//! one partner in one language and version; sites are dealt out in order (partner id,
//! then version, then language), like cards: shard sizes differ by at most one, and
//! the same list always gives the same assignment. (A hash of the id would keep sites
//! in place as others come and go, but three sites over two jobs could all land in
//! one.) A shard that builds some of a partner's sites keeps the others' published
//! files as they are.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based, as people count jobs.
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// This shard's share of `units`, which must be in a fixed order.
    pub fn select<T: Clone>(&self, units: &[T]) -> Vec<T> {
        units
            .iter()
            .enumerate()
            .filter(|(position, _)| {
                *position as u64 % u64::from(self.count) == u64::from(self.index - 1)
            })
            .map(|(_, unit)| unit.clone())
            .collect()
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || format!("`{text}` is not a shard: write i/n with 1 <= i <= n, e.g. 2/4");
        let (index, count) = text.split_once('/').ok_or_else(invalid)?;
        let index: u32 = index.trim().parse().map_err(|_| invalid())?;
        let count: u32 = count.trim().parse().map_err(|_| invalid())?;
        if index == 0 || index > count {
            return Err(invalid());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_partner_is_in_exactly_one_shard_and_shards_are_balanced() {
        let ids: Vec<String> = (0..7).map(|i| format!("p{i}")).collect();
        let shards: Vec<Vec<String>> =
            (1..=3).map(|i| Shard { index: i, count: 3 }.select(&ids)).collect();
        assert_eq!(shards, [vec!["p0", "p3", "p6"], vec!["p1", "p4"], vec!["p2", "p5"]]);
    }

    #[test]
    fn parsing_rejects_impossible_shards() {
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { index: 2, count: 4 }));
        for bad in ["0/4", "5/4", "1", "a/b", "1/0"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
