//! The goal a counter shows when the organiser fixed none: the next step of
//! 100, 200, 500, 1 000, 2 000, 5 000, ... above the count, so the bar always
//! has somewhere to go and never reads 100 % before the campaign ends.

/// The goal to show for `count` signatures.
pub fn goal_for(count: u64, fixed: Option<u64>) -> u64 {
    match fixed {
        Some(goal) if goal > 0 => goal,
        _ => next_step_above(count),
    }
}

fn next_step_above(count: u64) -> u64 {
    let mut decade: u64 = 100;
    loop {
        for step in [1, 2, 5] {
            let goal = decade.saturating_mul(step);
            if goal > count || goal == u64::MAX {
                return goal;
            }
        }
        decade = decade.saturating_mul(10);
    }
}

/// How full the bar is, as a CSS width: `37.5%`. Integer arithmetic only:
/// formatting a float would pull the float printer into the bundle.
pub fn bar_width(count: u64, goal: u64) -> String {
    let per_mille = if goal == 0 || count >= goal {
        1_000
    } else {
        (count as f64 / goal as f64 * 1_000.0) as u64
    };
    format!("{}.{}%", per_mille / 10, per_mille % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_goal_raises_itself_as_the_count_passes_it() {
        let goals: Vec<u64> = [
            0, 99, 100, 150, 200, 499, 500, 999, 1_000, 4_321, 5_000, 12_345,
        ]
        .iter()
        .map(|&c| goal_for(c, None))
        .collect();
        assert_eq!(
            goals,
            [
                100, 100, 200, 200, 500, 500, 1_000, 1_000, 2_000, 5_000, 10_000, 20_000
            ]
        );
    }

    #[test]
    fn a_fixed_goal_stays_even_when_passed() {
        assert_eq!(goal_for(12_000, Some(10_000)), 10_000);
        assert_eq!(goal_for(50, Some(0)), 100);
    }

    #[test]
    fn huge_counts_do_not_overflow() {
        assert!(goal_for(u64::MAX - 1, None) >= u64::MAX - 1);
    }

    #[test]
    fn the_bar_is_clamped_to_a_full_bar() {
        assert_eq!(bar_width(50, 200), "25.0%");
        assert_eq!(bar_width(1, 3), "33.3%");
        assert_eq!(bar_width(300, 200), "100.0%");
        assert_eq!(bar_width(1, 0), "100.0%");
    }
}
