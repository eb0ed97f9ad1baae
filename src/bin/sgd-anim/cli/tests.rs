//! The command line's definition, and its defaults against the library's.

use super::*;
use clap::CommandFactory;

#[test]
fn cli_definition_is_consistent() {
    Cli::command().debug_assert();
}

/// The command the binary reads, from `args` (after the program's name).
fn parsed(args: &[&str]) -> Command {
    let all = std::iter::once("sgd-anim").chain(args.iter().copied()).map(Into::into).collect();
    match crate::parse::parse_from(all) {
        Ok(Cli { command: Some(command) }) => command,
        other => panic!("{args:?}: {other:?}"),
    }
}

/// With no flags, each command's settings are the library's defaults, field for field:
/// the binary has no default of its own.
#[test]
fn the_commands_defaults_are_the_librarys() {
    let Command::Render(render) = parsed(&["render", "-o", "x.gif"]) else { panic!("render") };
    assert_eq!(render.common.to_settings(render.lr, render.batch_size), RenderSettings::default());
    assert!(render.common.warnings().is_empty());

    let Command::Grid(grid) = parsed(&["grid"]) else { panic!("grid") };
    assert_eq!(grid.to_settings(), GridSettings::default());

    let Command::Replay(replay) = parsed(&["replay", "run.csv", "-o", "x.gif"]) else { panic!("replay") };
    assert_eq!(replay.to_settings(), ReplaySettings::new(LogSource::File("run.csv".into())));

    // compare: the default grid's learning-rate comparison (compare_lr_bs16.gif), a
    // blog's column wide.
    let Command::Compare(compare) = parsed(&["compare", "-o", "x.gif"]) else { panic!("compare") };
    let library = RenderSettings::default();
    let column = SceneSettings { width: sgd_anim::cli::COLUMN_WIDTH, ..library.scene.clone() };
    assert_eq!(compare.to_settings(), RenderSettings { scene: column, ..library });
    let grid = GridSettings::default();
    let lr_comparison = &sgd_anim::internals::comparisons(&grid)[0];
    assert_eq!(lr_comparison.file_name, "compare_lr_bs16.gif");
    let sizes: Vec<usize> = lr_comparison.panels.iter().map(|&(_, b)| b).collect();
    assert_eq!((compare.lrs, compare.batch_sizes), (grid.lrs, vec![sizes[0]]));
    assert!(sizes.iter().all(|&b| b == sizes[0]));
}

/// The defaults an option fills in only when its choice is made (the optimisers'
/// factors, a view's width) are the library's too.
#[test]
fn defaults_that_follow_a_choice_are_the_librarys() {
    for (flag, optimizer) in [("momentum", Optimizer::MOMENTUM), ("adam", Optimizer::ADAM)] {
        let Command::Render(r) = parsed(&["render", "--optimizer", flag, "-o", "x.gif"]) else { panic!() };
        assert_eq!(r.common.to_settings(r.lr, r.batch_size).train.optimizer, optimizer);
    }
    let Command::Render(r) = parsed(&["render", "--view", "all", "-o", "x.gif"]) else { panic!() };
    let scene = r.common.to_settings(r.lr, r.batch_size).scene;
    assert_eq!((scene.view, scene.width), (View::All, SceneSettings::default_width(View::All)));
    assert_eq!(scene.width, 3 * SceneSettings::default().width, "a panel as wide as the default view's one");
    let Command::Replay(r) = parsed(&["replay", "-", "--view", "all", "-o", "x.gif"]) else { panic!() };
    let settings = r.to_settings();
    assert!(settings.width_per_panel);
    assert_eq!(settings.scene.width, SceneSettings::PANEL_WIDTH);
}

/// Every default `--help` shows is the one the settings get (the optional options' are
/// written into their help from the library).
#[test]
fn help_shows_the_librarys_defaults() {
    let mut command = Cli::command();
    let help = command.find_subcommand_mut("render").unwrap().render_long_help().to_string();
    let library = RenderSettings::default();
    let default = |o, f| Optimizer::settings(&o).into_iter().find(|&(field, _)| field == f).unwrap().1;
    let (beta1, beta2) = (default(Optimizer::ADAM, Field::TrainBeta1), default(Optimizer::ADAM, Field::TrainBeta2));
    for (flag, value) in [
        ("--lr <LR>", library.train.lr.to_string()),
        ("--batch-size <N|full>", "full".to_string()),
        ("--steps <STEPS>", library.train.steps.to_string()),
        ("--seed <SEED>", library.train.seed.to_string()),
        ("--start-slope <START_SLOPE>", library.train.start.0.to_string()),
        ("--start-intercept <START_INTERCEPT>", library.train.start.1.to_string()),
        ("--momentum <MOMENTUM>", default(Optimizer::MOMENTUM, Field::TrainMomentum).to_string()),
        ("--beta1 <BETA1>", beta1.to_string()),
        // --beta2 is RMSProp's decay too, with its own default.
        (
            "--beta2 <BETA2>",
            format!("{beta2} for adam, {} for rmsprop", default(Optimizer::RMSPROP, Field::TrainBeta2)),
        ),
        ("--width <WIDTH>", format!("{} per panel", SceneSettings::PANEL_WIDTH)),
        ("--height <HEIGHT>", library.scene.height.to_string()),
        ("--trail <K>", library.scene.trail.to_string()),
        ("--delay-ms <DELAY_MS>", library.timing.delay_ms.to_string()),
        ("--hold-ms <HOLD_MS>", library.timing.hold_ms.to_string()),
    ] {
        let at = help.find(flag).unwrap_or_else(|| panic!("{flag} missing from --help"));
        let entry = &help[at..help[at..].find("\n\n").map_or(help.len(), |end| at + end)];
        assert!(entry.contains(&format!("[default: {value}]")), "{entry}");
    }
}

/// The synthetic data's options are optional (so giving them with --data can be warned
/// about); their help still shows the defaults, which are the library's.
#[test]
fn synthetic_defaults_in_help_are_the_librarys() {
    let mut command = Cli::command();
    let help = command.find_subcommand_mut("render").unwrap().render_long_help().to_string();
    let post = DataSpec::default();
    let cli = Cli::parse_from(["sgd-anim", "render", "-o", "x.gif"]);
    let Some(Command::Render(args)) = cli.command else { panic!("render was given") };
    let DataSource::Synthetic(spec) = args.common.to_settings(0.1, BatchSize::Full).data else {
        panic!("no --data: synthetic");
    };
    assert_eq!(spec, post);
    for (flag, value) in [
        ("--n <N>", post.n.to_string()),
        ("--true-slope <TRUE_SLOPE>", format!("{}", post.slope)),
        ("--true-intercept <TRUE_INTERCEPT>", format!("{}", post.intercept)),
        ("--noise <NOISE>", format!("{}", post.noise)),
    ] {
        let at = help.find(flag).unwrap_or_else(|| panic!("{flag} missing from --help"));
        let entry = &help[at..help[at..].find("\n\n").map_or(help.len(), |end| at + end)];
        assert!(entry.contains(&format!("[default: {value}]")), "{entry}");
    }
}
