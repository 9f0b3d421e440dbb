use super::Catalog;

pub const CATALOG: Catalog = Catalog {
    signatures_one: "signature",
    signatures_other: "signatures",
    organisations_one: "organisation",
    organisations_other: "organisations",
    goal: "Goal: {goal}",
    progress: "{count} of {goal} signatures",
    goal_bar: "Signatures toward the goal",
    last_signature: "Latest signature {ago}",
    loading: "Loading the count…",
    unknown_petition: "This petition could not be found.",
};
