//! `serve --config FILE`: every option `serve` takes, as a TOML file of
//! `flag-name = value` lines, so that a service manager's unit names one
//! file instead of a long command line (docs/deployment.md).
//!
//! The file is turned into the flags it stands for and handed to the same
//! parser as the command line, so a file can say exactly what the flags can
//! and is checked the same way. Flags given on the command line win over
//! the file, and the file wins over environment variables.

use std::ffi::OsString;
use std::path::Path;

/// The command line with `FILE`'s options put right after `serve`, where
/// the flags that follow them override them. Anything but `serve --config`
/// comes back as it was.
pub fn expand(arguments: Vec<OsString>) -> Result<Vec<OsString>, String> {
    if arguments.get(1).is_none_or(|command| command != "serve") {
        return Ok(arguments);
    }
    let Some(path) = config_path(&arguments[2..]) else {
        return Ok(arguments);
    };
    let text = std::fs::read_to_string(&path).map_err(|error| format!("--config {}: {error}", path.display()))?;
    let options = options_of(&text).map_err(|error| format!("--config {}: {error}", path.display()))?;
    let mut expanded = arguments[..2].to_vec();
    expanded.extend(options.into_iter().map(OsString::from));
    expanded.extend_from_slice(&arguments[2..]);
    Ok(expanded)
}

fn config_path(arguments: &[OsString]) -> Option<std::path::PathBuf> {
    let mut rest = arguments.iter();
    while let Some(argument) = rest.next() {
        let text = argument.to_string_lossy();
        if text == "--config" {
            return rest.next().map(|path| Path::new(path).to_owned());
        }
        if let Some(path) = text.strip_prefix("--config=") {
            return Some(Path::new(path).to_owned());
        }
    }
    None
}

/// The flags `text` stands for: `key = "text"` and `key = 8` become
/// `--key=value`, `key = true` becomes `--key`, and `key = false` nothing.
/// Keys are the flags' names; `_` may stand for `-`.
pub fn options_of(text: &str) -> Result<Vec<String>, String> {
    let table: toml::Table = text.parse().map_err(|error: toml::de::Error| error.message().to_owned())?;
    let mut options = Vec::new();
    for (key, value) in table {
        let flag = key.replace('_', "-");
        if flag == "config" {
            return Err("a config file cannot name another one".to_owned());
        }
        match value {
            toml::Value::String(text) => options.push(format!("--{flag}={text}")),
            toml::Value::Integer(number) => options.push(format!("--{flag}={number}")),
            toml::Value::Boolean(true) => options.push(format!("--{flag}")),
            toml::Value::Boolean(false) => {}
            _ => return Err(format!("`{key}`: a flag takes text, a number or true/false")),
        }
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_value_becomes_its_flag() {
        let options = options_of(
            "listen = \"0.0.0.0:8040\"\ndatabase_url = \"postgres://registry@db/registry\"\n\
             database-connections = 16\ndemo = false\nesia-url = \"https://esia.gosuslugi.ru\"\n",
        )
        .expect("parses");
        assert_eq!(
            options,
            [
                "--database-connections=16",
                "--database-url=postgres://registry@db/registry",
                "--esia-url=https://esia.gosuslugi.ru",
                "--listen=0.0.0.0:8040",
            ]
        );
        assert_eq!(options_of("demo = true").expect("parses"), ["--demo"]);
    }

    #[test]
    fn a_file_that_is_not_flags_is_refused_with_its_reason() {
        assert!(options_of("listen = [1, 2]").unwrap_err().contains("listen"));
        assert!(options_of("config = \"other.toml\"").is_err());
        assert!(options_of("listen = ").is_err());
    }

    #[test]
    fn only_serve_reads_a_config_file() {
        let arguments: Vec<OsString> = ["registry-server", "generate", "--config", "/nonexistent"].map(OsString::from).to_vec();
        assert_eq!(expand(arguments.clone()), Ok(arguments));
    }
}
