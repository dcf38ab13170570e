//! Which of the shared options each subcommand takes. The console's options are global
//! in clap (they may come before or after a subcommand), so every subcommand would list
//! them all; here each subcommand gets hidden copies of those it does not take, so its
//! `--help` and its completions show only what applies, and one given anyway is refused
//! with the reason rather than ignored.

/// The shared options, by clap id.
/// (`--smtp` and `--smtp-from` are the top level's own, not global: `cli::parse_args`
/// refuses them before a subcommand other than serve and ssh.)
const ALL: [&str; 10] = [
    "db",
    "aws",
    "profile",
    "region",
    "endpoint_url",
    "pool",
    "read_only",
    "config",
    "log_file",
    "lambda_endpoint_url",
];

/// A subcommand, the shared options it takes, and why it takes no others.
struct Takes {
    name: &'static str,
    takes: &'static [&'static str],
    why: &'static str,
}

const POOLS: [&str; 6] = ["db", "aws", "profile", "region", "endpoint_url", "log_file"];
const ONE_POOL: [&str; 7] = [
    "db",
    "aws",
    "profile",
    "region",
    "endpoint_url",
    "pool",
    "log_file",
];
const IMPORT: [&str; 9] = [
    "db",
    "aws",
    "profile",
    "region",
    "endpoint_url",
    "pool",
    "log_file",
    "read_only",
    "lambda_endpoint_url",
];

const SUBCOMMANDS: [Takes; 11] = [
    Takes {
        name: "serve",
        takes: &["db", "region", "log_file", "lambda_endpoint_url"],
        why: "does not apply to serve, which serves the local store",
    },
    Takes {
        name: "pools",
        takes: &POOLS,
        why: "does not apply to pools",
    },
    Takes {
        name: "users",
        takes: &ONE_POOL,
        why: "does not apply to users",
    },
    Takes {
        name: "groups",
        takes: &ONE_POOL,
        why: "does not apply to groups",
    },
    Takes {
        name: "outbox",
        takes: &["db", "pool", "log_file"],
        why: "does not apply to outbox, which reads the local store (--db)",
    },
    Takes {
        name: "export",
        takes: &ONE_POOL,
        why: "does not apply to export",
    },
    Takes {
        name: "import",
        takes: &IMPORT,
        why: "does not apply to import",
    },
    Takes {
        name: "ssh",
        takes: &ALL,
        why: "",
    },
    Takes {
        name: "audit",
        takes: &["db", "pool", "log_file"],
        why: "does not apply to audit, which reads the audit log of the local store (--db)",
    },
    Takes {
        name: "completions",
        takes: &[],
        why: "does not apply to completions",
    },
    Takes {
        name: "man",
        takes: &[],
        why: "does not apply to man",
    },
];

fn takes(name: &str) -> Option<&'static Takes> {
    SUBCOMMANDS.iter().find(|t| t.name == name)
}

/// `command` with each subcommand's shared options it does not take hidden from it.
pub fn hide_what_does_not_apply(mut command: clap::Command) -> clap::Command {
    for t in &SUBCOMMANDS {
        // Global options reach every subcommand; these get their own hidden copies
        // first, which clap then leaves in place.
        let hidden: Vec<clap::Arg> = command
            .get_arguments()
            .filter(|a| {
                let id = a.get_id().as_str();
                ALL.contains(&id) && !t.takes.contains(&id)
            })
            .map(|a| a.clone().global(false).hide(true))
            .collect();
        command = command.mut_subcommand(t.name, |sub| sub.args(hidden));
    }
    command
}

/// The first shared option typed on the command line (a value from the environment is no
/// mistake) that the subcommand in `matches` does not take: "--ID WHY".
pub fn misplaced(matches: &clap::ArgMatches) -> Option<String> {
    let (name, sub) = matches.subcommand()?;
    let t = takes(name)?;
    ALL.iter()
        .filter(|id| !t.takes.contains(id))
        .find(|id| sub.value_source(id) == Some(clap::parser::ValueSource::CommandLine))
        .map(|id| format!("--{} {}", id.replace('_', "-"), t.why))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn every_subcommand_says_what_it_takes() {
        let command = crate::cli::Cli::command();
        let names: Vec<&str> = command.get_subcommands().map(|s| s.get_name()).collect();
        for name in &names {
            assert!(takes(name).is_some(), "{name} is not in SUBCOMMANDS");
        }
        for t in &SUBCOMMANDS {
            assert!(names.contains(&t.name), "{} is not a subcommand", t.name);
            for id in t.takes {
                assert!(ALL.contains(id), "{id} is not a shared option");
            }
        }
        let globals: Vec<&str> = command
            .get_arguments()
            .filter(|a| a.is_global_set())
            .map(|a| a.get_id().as_str())
            .collect();
        for id in ALL {
            assert!(globals.contains(&id), "{id} is not a global option");
        }
    }
}
