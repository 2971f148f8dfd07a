//! The `pixelguard` command line: check a URL against lists (and decode it), lint lists, compile
//! lists to DNR, print the webmail data the extension is built with, print the core's constants for the JS side.

mod explain;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use pixelguard::dnr::{Browser, CompileOptions, Matcher, Request as DnrRequest, ResourceType, Rule, compile, hold_template};
use pixelguard::{Engine, ListSource, analyse, check_list_ids};

#[derive(Parser)]
#[command(name = "pixelguard", version, about = "PixelGuard's core from the command line")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the verdict on one request as JSON, with what it would have sent (`decoded`) when a
    /// decoder knows its vendor. A webmail image-proxy URL (Gmail, Outlook, Yahoo, Proton) is
    /// checked as the sender's URL it carries, named in `proxied`.
    Check {
        /// A filter list, as FILE or ID=FILE (the id defaults to the file name); repeatable.
        #[arg(long = "list", required = true, value_name = "[ID=]FILE")]
        lists: Vec<String>,
        /// The requested URL.
        url: String,
        /// The URL of the page that made the request.
        #[arg(long, default_value = "")]
        source: String,
        /// The resource type, as webRequest/DNR name it (image, ping, beacon, script, xmlhttprequest, …).
        #[arg(long = "type", default_value = "other")]
        resource_type: String,
        /// Also say it in words: which filter, from which list, and what the request would have sent.
        #[arg(long)]
        explain: bool,
    },
    /// Compile lists into an engine snapshot file, as the extension restores it.
    Snapshot {
        /// A filter list, as FILE or ID=FILE (the id defaults to the file name); repeatable.
        #[arg(long = "list", required = true, value_name = "[ID=]FILE")]
        lists: Vec<String>,
        /// Where to write the snapshot.
        #[arg(long)]
        out: PathBuf,
    },
    /// Predict DNR: read requests `{"url","initiator","type"}` (NDJSON, stdin), print for each the
    /// rule the offline matcher applies: `{"url","ruleId","action"}` (NDJSON, stdout).
    DnrMatch {
        /// Ruleset files (`ID.rules.json` as `compile` writes them); repeatable.
        #[arg(long = "rules", required = true)]
        rules: Vec<PathBuf>,
    },
    /// Print every invalid line of each list with its reason; exit 1 when any is invalid.
    Lint {
        /// Filter list files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Compile lists to DNR static rulesets: per list, OUT/ID.rules.json (the ruleset),
    /// OUT/ID.map.json (rule id → filters) and OUT/ID.report.json; prints a report per list.
    Compile {
        /// A filter list, as ID=FILE or FILE (the id defaults to the file name); repeatable.
        #[arg(long = "list", required = true, value_name = "[ID=]FILE")]
        lists: Vec<String>,
        /// The browser to compile for: chrome or firefox.
        #[arg(long)]
        browser: Browser,
        /// The directory to write to (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// The first rule id, 1 to 2147483647; ids run on across the lists.
        #[arg(long, default_value_t = 1)]
        first_id: u32,
    },
    /// Print, as JSON, the webmail data the extension is built with: `pages` (match patterns of
    /// the webmail pages), `proxies` (each image proxy's name, hosts and path prefixes) and `hold`
    /// (each browser's webmail hold rules, for the extension to number and complete with its token).
    Webmail,
    /// Print, as JSON, the core's facts the JS side needs (rule priorities, the hostname syntax, the
    /// tiny-image limit, crawl resource types); build.sh writes them into the shell's generated modules.
    Constants,
}

/// One request line for `dnr-match`.
#[derive(serde::Deserialize)]
struct MatchRequest {
    url: String,
    initiator: Option<String>,
    #[serde(rename = "type")]
    resource_type: ResourceType,
}

/// Why a command stopped: a failure the user caused (printed as one line, exit status 2), or its
/// output closed by the reader (`… | head -1`), which is a normal end.
enum Stop {
    Usage(String),
    OutputClosed,
}

impl From<std::io::Error> for Stop {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe { Stop::OutputClosed } else { Stop::Usage(e.to_string()) }
    }
}

impl From<pixelguard::Error> for Stop {
    fn from(e: pixelguard::Error) -> Self {
        Stop::Usage(e.to_string())
    }
}

impl From<serde_json::Error> for Stop {
    fn from(e: serde_json::Error) -> Self {
        Stop::Usage(e.to_string())
    }
}

fn main() -> ExitCode {
    // Every command writes through one locked stdout, and a closed pipe ends it quietly.
    let mut stdout = std::io::stdout().lock();
    let result = run(Cli::parse(), &mut stdout).and_then(|code| {
        stdout.flush()?;
        Ok(code)
    });
    match result {
        Ok(code) => code,
        Err(Stop::OutputClosed) => ExitCode::SUCCESS,
        Err(Stop::Usage(message)) => {
            eprintln!("pixelguard: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli, stdout: &mut impl Write) -> Result<ExitCode, Stop> {
    match cli.command {
        Command::Check { lists, url, source, resource_type, explain } => {
            let engine = Engine::from_lists(&read_lists(&lists)?)?;
            let verdict = engine.check(&url, &source, &resource_type)?;
            writeln!(stdout, "{}", serde_json::to_string_pretty(&verdict)?)?;
            if explain {
                writeln!(stdout, "{}", explain::verdict(&verdict))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Snapshot { lists, out } => {
            let bytes = Engine::from_lists(&read_lists(&lists)?)?.snapshot();
            std::fs::write(&out, &bytes).map_err(|e| Stop::Usage(format!("{}: {e}", out.display())))?;
            writeln!(stdout, "{}: {} bytes", out.display(), bytes.len())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Lint { files } => {
            let mut invalid = 0;
            for file in &files {
                let info = analyse(&read_list(&file.display().to_string(), file)?);
                for bad in &info.stats.invalid {
                    writeln!(stdout, "{}:{}: {}: {}", file.display(), bad.line, bad.reason, bad.text)?;
                }
                writeln!(
                    stdout,
                    "{}: {} network filters, {} cosmetic filters, {} invalid lines",
                    file.display(),
                    info.stats.network,
                    info.stats.cosmetic,
                    info.stats.invalid.len()
                )?;
                invalid += info.stats.invalid.len();
            }
            Ok(if invalid == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::DnrMatch { rules } => {
            let mut all = Vec::new();
            for file in &rules {
                let text = std::fs::read_to_string(file).map_err(|e| Stop::Usage(format!("{}: {e}", file.display())))?;
                let parsed: Vec<Rule> = serde_json::from_str(&text).map_err(|e| Stop::Usage(format!("{}: {e}", file.display())))?;
                all.extend(parsed);
            }
            let matcher = Matcher::new(all)?;
            for line in std::io::stdin().lines() {
                let line = line?;
                if line.trim().is_empty() {
                    continue;
                }
                let r: MatchRequest = serde_json::from_str(&line).map_err(|e| Stop::Usage(format!("bad request line {line:?}: {e}")))?;
                let rule = matcher.matched(&DnrRequest::new(&r.url, r.initiator.as_deref(), r.resource_type));
                let verdict = serde_json::json!({ "url": r.url, "ruleId": rule.map(|r| r.id), "action": rule.map(|r| r.action.kind) });
                writeln!(stdout, "{verdict}")?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Constants => {
            println!("{}", serde_json::to_string_pretty(&pixelguard::constants())?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Compile { lists, browser, out, first_id } => {
            let lists = read_lists(&lists)?;
            check_list_ids(&lists)?;
            let options = CompileOptions { first_id, ..CompileOptions::new(browser) };
            let compiled = compile(&lists, &options)?;
            std::fs::create_dir_all(&out).map_err(|e| Stop::Usage(format!("{}: {e}", out.display())))?;
            for list in &compiled.lists {
                write_json(&out.join(format!("{}.rules.json", list.id)), |w| serde_json::to_writer(w, &list.rules))?;
                write_json(&out.join(format!("{}.map.json", list.id)), |w| serde_json::to_writer(w, &list.source_map))?;
                write_json(&out.join(format!("{}.report.json", list.id)), |w| serde_json::to_writer_pretty(w, &list.report))?;
                write!(stdout, "{}", list.report)?;
            }
            writeln!(stdout, "{browser:?}: {} rules written to {}", compiled.rules().count(), out.display())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Webmail => {
            let data = pixelguard::pixels::webmail();
            let proxies: Vec<_> = data.proxies.iter().map(|p| serde_json::json!({ "name": p.name, "hosts": p.hosts, "paths": p.paths })).collect();
            let hold = serde_json::json!({ "chrome": hold_template(Browser::Chrome)?, "firefox": hold_template(Browser::Firefox)? });
            let out = serde_json::json!({ "pages": data.page_patterns(), "proxies": proxies, "hold": hold });
            println!("{}", serde_json::to_string_pretty(&out)?);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Writes a JSON file through a buffer (a big list's report is not held as one string first).
fn write_json(path: &Path, write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> serde_json::Result<()>) -> Result<(), Stop> {
    let failed = |e: &dyn std::fmt::Display| Stop::Usage(format!("{}: {e}", path.display()));
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).map_err(|e| failed(&e))?);
    write(&mut file).map_err(|e| failed(&e))?;
    file.flush().map_err(|e| failed(&e))
}

/// Reads lists named `ID=FILE` or `FILE` (id = file stem) from disk.
fn read_lists(specs: &[String]) -> Result<Vec<ListSource>, Stop> {
    specs.iter().map(|spec| read_list_spec(spec)).collect()
}

fn read_list_spec(spec: &str) -> Result<ListSource, Stop> {
    let (id, path) = match spec.split_once('=') {
        Some((id, path)) if !Path::new(spec).exists() => (id.to_string(), PathBuf::from(path)),
        _ => {
            let path = PathBuf::from(spec);
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            (stem, path)
        }
    };
    read_list(&id, &path)
}

fn read_list(id: &str, path: &Path) -> Result<ListSource, Stop> {
    let bytes = std::fs::read(path).map_err(|e| Stop::Usage(format!("{}: {e}", path.display())))?;
    Ok(ListSource::from_bytes(id, "", &bytes)?)
}
