"""Every bad input is refused the same way (docs/reliability.md): exit code 2, exactly one line on
stderr naming the file, the line and the key where they exist, nothing on stdout, and nothing left
behind — no OUT.h5, OUT.h5.part or OUT.h5.tmp, and no other file created.

Scenario variants are made by copying scenarios/deep_end_glasgow.toml (with observed/ alongside,
so that its relative `observed` path resolves) into a temporary directory and editing the copy.
"""

import json
import os
import re
import subprocess
import sys
import unittest

import lwsim_e2e as e2e

OUT = "out.h5"
OUT_FILES = (OUT, OUT + ".part", OUT + ".tmp")


class BadInputCase(e2e.TempDirTestCase):
    """Helpers: make scenario variants, run lwsim in the temporary directory, check the refusal."""

    def setUp(self):
        super().setUp()
        self.scenario = e2e.copy_scenario(self.tmp)
        self.original = e2e.read_text(self.scenario)

    def variant(self, name, text):
        """Writes a scenario variant `name` with `text`; returns its file name (relative to tmp)."""
        e2e.write_text(self.path(name), text)
        return name

    def edited(self, name, old, new):
        """The default scenario with the one line `old` replaced by `new`."""
        self.assertEqual(self.original.count(old), 1, f"{old!r} must occur once in the default scenario")
        return self.variant(name, self.original.replace(old, new))

    def appended(self, name, extra):
        return self.variant(name, self.original.rstrip("\n") + "\n\n" + extra)

    def assert_refused(self, *args, file=None, line=None, key=None, mentions=(), cwd=None, existing=()):
        """Runs `lwsim args` in the temporary directory and checks that it is refused as bad input.

        file/line/key: the message must contain "FILE:LINE:" (or "FILE:" when line is None) and
        the key; `mentions`: further words the message must contain; `existing`: output files
        that existed before (they must be left as they were). Returns the message.
        """
        cwd = cwd or self.tmp
        before = e2e.list_tree(self.tmp)
        result = e2e.run(*args, cwd=cwd)
        shown = f"lwsim {' '.join(map(str, args))}\nexit {result.code}\nstdout: {result.stdout!r}\nstderr: {result.stderr!r}"
        self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, f"bad input must exit with code 2\n{shown}")
        lines = e2e.stderr_lines(result)
        self.assertEqual(len(lines), 1, f"bad input must give exactly one line on stderr\n{shown}")
        self.assertEqual(result.stdout, "", f"bad input must print nothing on stdout\n{shown}")
        message = lines[0]
        self.assertTrue(message.startswith("lwsim: error: "), f"message: {message}")
        if file is not None:
            place = f"{file}:{line}:" if line is not None else f"{file}:"
            self.assertIn(place, message, f"the message must name {place}")
        if key is not None:
            self.assertIn(key, message, "the message must name the key")
        for word in mentions:
            self.assertIn(word, message)
        for name in OUT_FILES:
            if name in existing:
                continue
            self.assertFalse(os.path.exists(os.path.join(cwd, name)), f"{name} was left behind\n{shown}")
        self.assertEqual(e2e.list_tree(self.tmp), before, f"bad input must create nothing\n{shown}")
        return message

    def assert_scenario_refused(self, name, **expect):
        """A bad scenario file is refused by `run` (with an output path) and by `validate` alike."""
        with self.subTest(command="run"):
            message = self.assert_refused("run", name, "-o", OUT, "--replicates", 10, **expect)
        with self.subTest(command="validate"):
            self.assertEqual(self.assert_refused("validate", name, **expect), message,
                             "run and validate must give the same message")
        return message


class ScenarioFileErrors(BadInputCase):

    def test_toml_syntax_error_names_the_file_and_the_right_line(self):
        """A TOML syntax error names the scenario file and the line where the error is."""
        cases = {
            "double_equals.toml": ("seed = 20141101", "seed = = 20141101"),
            "unterminated_string.toml": ('name = "Cyan"', 'name = "Cyan'),
            "unclosed_header.toml": ("[evaluation]\n", "[evaluation\n"),
            "missing_value.toml": ("list_size = 4653", "list_size ="),
        }
        for name, (old, new) in cases.items():
            with self.subTest(name):
                self.edited(name, old, new)
                line = e2e.line_of(e2e.read_text(self.path(name)), new, exact=True)
                self.assert_scenario_refused(name, file=name, line=line, mentions=("syntax",))

    def test_duplicate_key_is_reported_at_the_duplicate(self):
        """A key written twice is reported at the line of the second (offending) occurrence.

        BUG: lwsim reports the line of the FIRST occurrence (toml11 points at the value that
        "already exists"), so the user is sent to a line that is fine; the same for a table
        header written twice.
        """
        name = self.edited("dup_key.toml", "seed = 20141101", "seed = 20141101\nseed = 7")
        line = e2e.line_of(e2e.read_text(self.path(name)), "seed = 7")
        self.assert_refused("validate", name, file=name, line=line)

    def test_unknown_top_level_key(self):
        """An unknown top-level key is refused, naming the file, its line and the key."""
        name = self.edited("unknown_key.toml", "[run]\n", 'colour = "blue"\n\n[run]\n')
        line = e2e.line_of(e2e.read_text(self.path(name)), "colour =")
        self.assert_scenario_refused(name, file=name, line=line, key="colour", mentions=("unknown",))

    def test_unknown_model_lists_the_registered_models(self):
        """`model = "..."` naming a model this lwsim does not have is refused at its line, listing
        the models it has; in a study file as in a scenario."""
        name = self.edited("unknown_model.toml", 'model = "lwp"', 'model = "sir"')
        line = e2e.line_of(e2e.read_text(self.path(name)), 'model = "sir"')
        self.assert_scenario_refused(name, file=name, line=line, key="model", mentions=("'sir'", "lwp"))
        sweep = self.variant("unknown_model_sweep.toml",
                             'model = "sir"\nbase = "scenario.toml"\n[design]\nkind = "grid"\n'
                             '[parameters]\n"clp.departure_hazard" = [0.01]\n')
        self.assert_refused("validate", sweep, file=sweep, line=1, key="model", mentions=("'sir'", "lwp"))

    def test_unknown_parameter_suggests_the_near_name(self):
        """A misspelt parameter is refused with its line, and the message suggests the real name."""
        name = self.appended("unknown_parameter.toml", "[parameters.clp]\ndeparture_hazrd = 0.004\n")
        line = e2e.line_of(e2e.read_text(self.path(name)), "departure_hazrd")
        message = self.assert_scenario_refused(name, file=name, line=line,
                                               key="parameters.clp.departure_hazrd")
        self.assertIn("clp.departure_hazard'", message.replace("departure_hazrd", ""),
                      "the near name clp.departure_hazard must be suggested")

    def test_string_for_a_number(self):
        """A string given for a real-valued parameter is a type error at its line and key."""
        name = self.appended("string_for_number.toml", '[parameters.clp]\ndeparture_hazard = "0.004"\n')
        line = e2e.line_of(e2e.read_text(self.path(name)), 'departure_hazard = "')
        self.assert_scenario_refused(name, file=name, line=line, key="parameters.clp.departure_hazard",
                                     mentions=("string",))

    def test_real_for_an_integer_parameter(self):
        """A real number (even a whole one, 8.0) for an integer parameter is refused at its line and key."""
        for value in ("8.5", "8.0"):
            with self.subTest(value=value):
                name = self.appended(f"real_for_integer_{value}.toml",
                                     f"[parameters.classification]\nwindow_weeks = {value}\n")
                line = e2e.line_of(e2e.read_text(self.path(name)), "window_weeks =")
                self.assert_scenario_refused(name, file=name, line=line,
                                             key="parameters.classification.window_weeks",
                                             mentions=("whole number",))

    def test_out_of_range_value_names_the_parameter_and_file_line(self):
        """An out-of-range value is refused naming parameters.<name> at FILE:LINE, with the range."""
        cases = [("clp", "departure_hazard", "7.0"), ("clp", "departure_hazard", "-0.1"),
                 ("classification", "window_weeks", "0")]
        for group, leaf, value in cases:
            with self.subTest(parameter=f"{group}.{leaf}", value=value):
                name = self.appended(f"range_{leaf}_{value}.toml", f"[parameters.{group}]\n{leaf} = {value}\n")
                line = e2e.line_of(e2e.read_text(self.path(name)), f"{leaf} = {value}")
                self.assert_scenario_refused(name, file=name, line=line, key=f"parameters.{group}.{leaf}",
                                             mentions=("range",))

    def test_out_of_range_run_settings_in_the_file(self):
        """run.replicates = 0 and run.seed = -1 in a scenario are refused at their lines."""
        for old, new, key in [("replicates = 10000", "replicates = 0", "run.replicates"),
                              ("seed = 20141101", "seed = -1", "run.seed")]:
            with self.subTest(key):
                name = self.edited(f"{key}.toml", old, new)
                line = e2e.line_of(e2e.read_text(self.path(name)), new)
                self.assert_refused("validate", name, file=name, line=line, key=key)

    def test_inconsistent_parameters_are_reported_where_they_were_set(self):
        """Parameters that are valid alone but inconsistent together (the CLP's three target shares
        must sum to 1) are reported at the file and line where the user set them.

        BUG: the message reads "<defaults>: clp.target_share_community_networking: the three
        clp.target_share_* parameters must sum to 1 (they sum to 1.4)" — it names a pseudo-file
        "<defaults>" and a parameter the user never set, instead of FILE:LINE of
        clp.target_share_patient_support (the same happens with --set).
        """
        name = self.appended("shares.toml", "[parameters.clp]\ntarget_share_patient_support = 0.9\n")
        line = e2e.line_of(e2e.read_text(self.path(name)), "target_share_patient_support")
        self.assert_refused("validate", name, file=name, line=line,
                            key="parameters.clp.target_share_patient_support")

    def test_missing_scenario_file(self):
        """A scenario file that does not exist is refused, naming it."""
        self.assert_scenario_refused("nowhere.toml", file="nowhere.toml")

    def test_missing_base(self):
        """A `base` that does not exist is refused at the `base` key, naming the missing file."""
        name = self.variant("child.toml", 'base = "nowhere.toml"\ntitle = "child"\n')
        self.assert_scenario_refused(name, file=name, line=1, key="base", mentions=("nowhere.toml",))

    def test_a_copied_study_file_names_the_base_path_it_tried(self):
        """A sweep copied into another directory keeps its relative `base`, which is resolved from
        the sweep file's own directory: the refusal names the absolute path tried."""
        os.makedirs(self.path("copies"))
        e2e.write_text(self.path("copies/sweep.toml"), 'base = "../scenarios/deep_end_glasgow.toml"\n[design]\n'
                                                      'kind = "grid"\n[parameters]\n"clp.departure_hazard" = [0.01]\n')
        tried = os.path.normpath(os.path.join(self.tmp, "scenarios", "deep_end_glasgow.toml"))
        self.assert_refused("validate", "copies/sweep.toml", file="copies/sweep.toml", line=1, key="base",
                            mentions=(f"(tried {tried})",))

    def test_base_loop(self):
        """Scenarios whose bases form a loop (a -> b -> a, or a -> a) are refused at `base`."""
        self.variant("a.toml", 'base = "b.toml"\n')
        self.variant("b.toml", 'base = "a.toml"\n')
        self.variant("self.toml", 'title = "x"\nbase = "self.toml"\n')
        for name in ("a.toml", "self.toml"):
            with self.subTest(name):
                message = self.assert_scenario_refused(name, key="base", mentions=("loop",))
                self.assertRegex(message, r"(a|b|self)\.toml", "the message must name a file of the loop")

    def test_base_loop_names_the_line_of_base(self):
        """A base loop is reported at FILE:LINE of the `base` key that closes the loop.

        BUG: the message has the file (as an absolute path) and the key but no line:
        "lwsim: error: /tmp/.../b.toml: base: base scenarios form a loop through a.toml".
        """
        self.variant("a.toml", 'base = "b.toml"\n')
        self.variant("b.toml", 'title = "b"\nbase = "a.toml"\n')
        message = self.assert_refused("validate", "a.toml", key="base")
        self.assertRegex(message, r"b\.toml:2: base:")

    def test_error_in_a_base_names_the_base_file(self):
        """An error inside a base scenario names the base file and its line, not the child."""
        base = self.appended("base.toml", "[parameters.clp]\ndeparture_hazard = 7.0\n")
        line = e2e.line_of(e2e.read_text(self.path(base)), "departure_hazard = 7.0")
        child = self.variant("child.toml", 'base = "base.toml"\ntitle = "child"\n')
        self.assert_scenario_refused(child, file=base, line=line, key="parameters.clp.departure_hazard")

    def test_missing_observed_file(self):
        """A missing observed-data file is refused at the scenario's run.observed line."""
        name = self.edited("no_observed.toml", '"observed/deep_end_2016.toml"', '"observed/nowhere.toml"')
        line = e2e.line_of(e2e.read_text(self.path(name)), "observed/nowhere.toml")
        self.assert_scenario_refused(name, file=name, line=line, key="run.observed",
                                     mentions=("nowhere.toml",))

    def test_observed_fip_count_larger_than_the_practices(self):
        """An observed FIP count above the number of practices is refused in the observed file."""
        observed = self.path("observed", "deep_end_2016.toml")
        text = e2e.read_text(observed)
        self.assertEqual(text.count("\nfip = 3\n"), 1)
        e2e.write_text(self.path("observed", "too_many.toml"), text.replace("\nfip = 3\n", "\nfip = 8\n"))
        name = self.edited("too_many.toml", "observed/deep_end_2016.toml", "observed/too_many.toml")
        line = e2e.line_of(e2e.read_text(self.path("observed", "too_many.toml")), "fip = 8")
        self.assert_scenario_refused(name, file="too_many.toml", line=line, key="fip", mentions=("8", "7"))

    def test_duplicate_practice_names(self):
        """Two practices with the same name are refused at the second one's name."""
        name = self.edited("duplicate.toml", 'name = "Cobalt"', 'name = "Ochre"')
        text = e2e.read_text(self.path(name))
        line = [n for n, l in enumerate(text.splitlines(), 1) if l == 'name = "Ochre"'][1]
        self.assert_scenario_refused(name, file=name, line=line, key="name", mentions=("Ochre",))

    def test_practice_without_list_size(self):
        """A [[practice]] without list_size is refused, naming list_size and a line of that table."""
        name = self.edited("no_list_size.toml", "list_size = 4400\n", "")
        text = e2e.read_text(self.path(name))
        name_line = e2e.line_of(text, 'name = "Cobalt"')
        message = self.assert_scenario_refused(name, file=name, key="list_size")
        m = re.search(re.escape(name) + r":(\d+):", message)
        self.assertIsNotNone(m, "the message must give a line")
        self.assertIn(int(m.group(1)), (name_line - 1, name_line), "the line must be the Cobalt [[practice]] table")


class LocalityOverrideErrors(BadInputCase):
    """A [[locality]] may set its own value of a model parameter (organisations, capacity, the
    context means; docs/scenarios.md). That value is held to the parameter's range in the table, and
    a sweep, sensitivity analysis or calibration that varies such a parameter is refused naming the
    locality, since it would change nothing there."""

    # The Deep End's practices are in the locality Glasgow ([practices] locality).
    LOCALITY = '[[locality]]\nname = "Glasgow"\n'

    def test_a_locality_value_outside_its_parameter_range_is_refused_at_its_line(self):
        cases = [("team_quality_mean", "1.5", "context.team_quality_mean", "range"),
                 ("gp_buy_in_mean", "-0.2", "context.gp_buy_in_mean", "range"),
                 ("innovation_rate_mean", "53", "context.innovation_rate_mean", "range"),
                 ("capacity", "20000", "community.capacity", "range"),
                 ("organisations", "65", "community.organisations", "range"),
                 ("organisations", "12.5", "locality[0].organisations", "whole number")]
        for key, value, parameter, word in cases:
            with self.subTest(key=key, value=value):
                name = self.appended(f"locality_{key}_{value}.toml", f"{self.LOCALITY}{key} = {value}\n")
                line = e2e.line_of(e2e.read_text(self.path(name)), f"{key} = {value}")
                self.assert_scenario_refused(name, file=name, line=line, key=f"locality[0].{key}",
                                             mentions=(parameter, word))

    def local_base(self):
        """The default scenario whose locality Glasgow sets its own team quality: (name, line)."""
        name = self.appended("local.toml", self.LOCALITY + "team_quality_mean = 0.7\n")
        return name, e2e.line_of(e2e.read_text(self.path(name)), "team_quality_mean = 0.7")

    def assert_study_refused(self, args, study, line, key):
        base, base_line = self.local_base()
        self.assert_refused(*args, file=study, line=line, key=key,
                            mentions=("locality 'Glasgow'", f"{base}:{base_line}: locality[0].team_quality_mean",
                                      "would change nothing there"))

    def test_a_sweep_of_a_parameter_a_locality_sets_is_refused_naming_the_locality(self):
        e2e.write_text(self.path("sweep.toml"), 'base = "local.toml"\n[design]\nkind = "grid"\n'
                                                "[parameters.context]\nteam_quality_mean = [0.3, 0.6]\n")
        for args in (("sweep", "sweep.toml", "-o", OUT), ("validate", "sweep.toml")):
            with self.subTest(command=args[0]):
                self.assert_study_refused(args, "sweep.toml", 5, "parameters.context.team_quality_mean")

    def test_a_points_file_column_of_a_parameter_a_locality_sets_is_refused_at_the_header(self):
        e2e.write_text(self.path("points.csv"), "clp.departure_hazard,context.team_quality_mean\n0.004,0.3\n")
        e2e.write_text(self.path("csv.toml"), 'base = "local.toml"\n[design]\nkind = "csv"\nfile = "points.csv"\n')
        self.assert_study_refused(("sweep", "csv.toml", "-o", OUT), "points.csv", 1, "context.team_quality_mean")

    def test_a_sensitivity_analysis_of_a_parameter_a_locality_sets_is_refused_naming_the_locality(self):
        e2e.write_text(self.path("sensitivity.toml"),
                       'base = "local.toml"\n[sensitivity]\nmethod = "morris"\n'
                       '[outputs]\nfips = "/summary/mean_fip_count"\n'
                       '[parameters]\n"context.team_quality_mean" = { min = 0.2, max = 0.9 }\n')
        self.assert_study_refused(("sensitivity", "sensitivity.toml", "-o", OUT), "sensitivity.toml", 7,
                                  "parameters.context.team_quality_mean")

    def test_a_calibration_of_a_parameter_a_locality_sets_is_refused_naming_the_locality(self):
        e2e.write_text(self.path("calibration.toml"),
                       'base = "local.toml"\n[abc]\nparticles = 10\n[priors]\n'
                       '"context.team_quality_mean" = { distribution = "uniform", min = 0.2, max = 0.9 }\n')
        self.assert_study_refused(("calibrate", "calibration.toml", "-o", OUT), "calibration.toml", 5,
                                  "priors.context.team_quality_mean")


class PracticeValueErrors(BadInputCase):
    """A [[practice]] may say what is known of it: gp_buy_in, team_quality, innovation_rate and
    dated events ([[practice.event]]; docs/scenarios.md, *What is known of a practice*). Its values
    are held to the ranges of the context parameters they replace; a bad event is refused at its
    line."""

    def test_a_practice_value_outside_its_parameter_range_is_refused_at_its_line(self):
        cases = [("gp_buy_in", "1.5", "context.gp_buy_in_mean", "range"),
                 ("team_quality", "-0.1", "context.team_quality_mean", "range"),
                 ("innovation_rate", "60", "context.innovation_rate_mean", "range"),
                 ("team_quality", '"good"', "practice[0].team_quality", "number")]
        for key, value, parameter, word in cases:
            with self.subTest(key=key, value=value):
                name = self.edited(f"practice_{key}.toml", 'name = "Magenta"\n',
                                   f'name = "Magenta"\n{key} = {value}\n')
                line = e2e.line_of(e2e.read_text(self.path(name)), f"{key} = {value}")
                self.assert_scenario_refused(name, file=name, line=line, key=f"practice[0].{key}",
                                             mentions=(parameter, word))

    def test_a_bad_dated_event_is_refused_at_its_line(self):
        cases = [('kind = "new_receptionist"', "kind", "unknown event kind"),
                 ("week = 500", "week", "week"),
                 ("load = 0.4", "load", "only a competing_innovation")]
        for entry, key, word in cases:
            with self.subTest(entry=entry):
                event = {"kind": 'kind = "clp_change"', "week": "week = 30"}
                text = "[[practice.event]]\n"
                if key == "kind":
                    text += f"week = 30\n{entry}\n"
                elif key == "week":
                    text += f'{entry}\n{event["kind"]}\n'
                else:
                    text += f'{event["week"]}\n{event["kind"]}\n{entry}\n'
                name = self.edited(f"event_{key}.toml", "list_size = 2244\n", "list_size = 2244\n" + text)
                line = e2e.line_of(e2e.read_text(self.path(name)), entry)
                self.assert_scenario_refused(name, file=name, line=line, key=f"practice[0].event[0].{key}",
                                             mentions=(word,))


class PatternErrors(BadInputCase):
    """An observed-data file's [[pattern]] tables (docs/scenarios.md, *Patterns*) are checked
    against the model's patterns when the file is read: each mistake is refused at its line in the
    observed file, by `run` and `validate` alike, and a calibration's distance may name only the
    patterns the observed data have."""

    def observed_with(self, name, pattern_text):
        """A copy of the observed data with one more [[pattern]] table; the scenario that uses it."""
        text = e2e.read_text(self.path("observed", "deep_end_2016.toml")).rstrip("\n")
        text += "\n\n[[pattern]]\n" + pattern_text
        e2e.write_text(self.path("observed", name), text)
        scenario = self.edited("uses_" + name, "observed/deep_end_2016.toml", "observed/" + name)
        return scenario, text

    def test_a_bad_pattern_is_refused_at_its_line(self):
        source = 'source = "a sentence"\n'
        cases = [
            ("unknown_name", 'name = "happiness_gap"\nkind = "sign"\ndirection = "positive"\n' + source,
             'name = "happiness_gap"', "name", ("unknown pattern", "coherence_gap")),
            ("unknown_kind", 'name = "coherence_gap"\nkind = "ratio"\n' + source,
             'kind = "ratio"', "kind", ("unknown kind", "interval")),
            ("bad_direction", 'name = "coherence_gap"\nkind = "sign"\ndirection = "up"\n' + source,
             'direction = "up"', "direction", ("positive", "negative")),
            ("foreign_key", 'name = "coherence_gap"\nkind = "sign"\ndirection = "positive"\nobserved = 1\n' + source,
             "observed = 1", "observed", ("unknown key",)),
            ("proportion_range", 'name = "pip_activities_kept"\nkind = "proportion"\nobserved = 1.5\n' + source,
             "observed = 1.5", "observed", ("between 0 and 1",)),
            ("interval_order", 'name = "monitoring_fip"\nkind = "interval"\nmin = 0.6\nmax = 0.5\n' + source,
             "max = 0.5", "max", ("above",)),
            ("no_source", 'name = "coherence_gap"\nkind = "sign"\ndirection = "positive"\n',
             None, "source", ("source",)),
            ("twice", 'name = "coherence_gap"\nkind = "sign"\ndirection = "negative"\n' + source,
             'direction = "negative"', "name", ("already observed",)),
        ]
        for tag, pattern, marker, key, words in cases:
            with self.subTest(case=tag):
                scenario, text = self.observed_with(f"{tag}.toml", pattern)
                index = text.count("[[pattern]]") - 1
                if marker is None:  # a missing key is reported at its table
                    line = len(text[:text.rindex("[[pattern]]")].splitlines()) + 1
                else:  # the marker's last line (the appended table's)
                    line = len(text[:text.rindex(marker)].splitlines()) + 1
                    if tag == "twice":
                        line -= 2  # the name line of the second table
                self.assert_scenario_refused(scenario, file=f"{tag}.toml", line=line,
                                             key=f"pattern[{index}].{key}", mentions=words)

    def test_a_calibration_may_name_only_the_patterns_the_observed_data_have(self):
        e2e.write_text(self.path("calibration.toml"),
                       'base = "scenario.toml"\n[abc]\nparticles = 10\n[distance]\nfip_count = 1.0\n'
                       '"pattern.happiness_gap" = 1.0\n[priors]\n'
                       '"context.gp_buy_in_mean" = { distribution = "uniform", min = 0.2, max = 0.9 }\n')
        self.assert_refused("calibrate", "calibration.toml", "-o", OUT, file="calibration.toml", line=6,
                            key="distance.pattern.happiness_gap", mentions=("no pattern", "coherence_gap"))
        self.assertFalse(os.path.exists(self.path(OUT)))


class CompareLabelErrors(BadInputCase):
    """A compare's `labels` and `reference` ([design]) are checked when the sweep is read: refused
    at their line by `sweep` and `validate` alike, before any work."""

    def compare(self, name, design_lines):
        text = ('base = "scenario.toml"\n[design]\nkind = "grid"\nreplicates = 2\n' + design_lines +
                '\n[parameters]\n"clp.departure_hazard" = [0.0, 0.01, 0.02]\n')
        e2e.write_text(self.path(name), text)
        return name, text

    def assert_compare_refused(self, design_lines, key, mentions):
        name, text = self.compare("compare.toml", design_lines)
        line = e2e.line_of(text, key.split(".")[-1].split("[")[0] + " =")
        for args in (("sweep", name, "-o", OUT), ("validate", name)):
            with self.subTest(command=args[0], design=design_lines):
                self.assert_refused(*args, file=name, line=line, key=key, mentions=mentions)

    def test_labels_and_reference_that_cannot_name_the_points_are_refused_at_their_line(self):
        self.assertEqual(os.path.basename(self.scenario), "scenario.toml")
        cases = [
            ('labels = ["a", "b"]', "design.labels", ("3 points", "one label per point, not 2")),
            ('labels = "a"', "design.labels", ("array of strings",)),
            ('labels = ["low", "low", "high"]', "design.labels", ('"low" is given twice',)),
            ('labels = ["low", "", "high"]', "design.labels", ("1 to 24 characters",)),
            ('labels = ["low", "a label far too long for a column", "high"]', "design.labels",
             ("1 to 24 characters",)),
            ('labels = ["low", "mid\\tdle", "high"]', "design.labels", ("one line of text",)),
            ('labels = ["low", "mid", "high"]\nreference = "none"', "design.reference",
             ('no point is labelled "none"', "low, mid, high")),
            ('reference = "low"', "design.reference", ("needs `labels`",)),
            ("reference = 3", "design.reference", ("from 0 to 2",)),
            ("reference = -1", "design.reference", ("from 0 to 2",)),
            ("reference = 1.5", "design.reference", ()),
        ]
        for design_lines, key, mentions in cases:
            self.assert_compare_refused(design_lines, key, mentions)

    def test_a_reference_needs_two_points(self):
        name = "one_point.toml"
        text = ('base = "scenario.toml"\n[design]\nkind = "grid"\nreference = 0\n'
                '[parameters]\n"clp.departure_hazard" = [0.01]\n')
        e2e.write_text(self.path(name), text)
        self.assert_refused("validate", name, file=name, line=4, key="design.reference",
                            mentions=("at least 2 points",))

    def test_valid_labels_and_reference_are_accepted(self):
        name, _ = self.compare("good.toml", 'labels = ["none", "some", "many"]\nreference = "none"')
        e2e.run_ok(self, "validate", name, cwd=self.tmp)
        name, _ = self.compare("by_number.toml", "reference = 2")
        e2e.run_ok(self, "validate", name, cwd=self.tmp)


class CommandLineErrors(BadInputCase):

    def test_set_unknown_name_suggests_the_near_name(self):
        """--set with an unknown parameter is refused, naming it and suggesting the real name."""
        message = self.assert_refused("run", "-o", OUT, "--set", "clp.departure_hazrd=0.1",
                                      key="clp.departure_hazrd", mentions=("--set",))
        self.assertIn("'clp.departure_hazard'", message)

    def test_set_bad_value(self):
        """--set with a value that is not a number, out of range, or not whole is refused, naming the parameter."""
        for assignment, word in [("clp.departure_hazard=abc", "abc"), ("clp.departure_hazard=0.9", "range"),
                                 ("classification.window_weeks=2.5", "whole"), ("clp.departure_hazard=", "number")]:
            with self.subTest(assignment):
                self.assert_refused("run", "-o", OUT, "--set", assignment, key=assignment.split("=")[0],
                                    mentions=("--set", word))

    def test_set_without_equals(self):
        """--set without '=' is refused, naming --set and quoting what was given."""
        self.assert_refused("run", "-o", OUT, "--set", "clp.departure_hazard", key="--set",
                            mentions=("clp.departure_hazard", "="))

    def test_seed_out_of_range(self):
        """--seed must be a whole number from 0 to 2^32-1: -1, 2^32 and 99999999999 are refused."""
        for seed in ("-1", "4294967296", "99999999999"):
            with self.subTest(seed=seed):
                self.assert_refused("run", "-o", OUT, "--seed", seed, key="--seed")

    def test_replicates_zero(self):
        """--replicates 0 is refused, naming --replicates."""
        self.assert_refused("run", "-o", OUT, "--replicates", "0", key="--replicates")

    def test_unknown_option(self):
        """An unknown option is refused, naming it."""
        self.assert_refused("run", "-o", OUT, "--bogus", mentions=("--bogus",))

    def test_unknown_subcommand(self):
        """An unknown subcommand is refused as bad input."""
        self.assert_refused("frobnicate", "-o", OUT)

    def test_unknown_subcommand_is_named(self):
        """An unknown subcommand is named in the message, so that a typo is easy to see.

        BUG: `lwsim frobnicate` says "a command is required: run, validate, params or report",
        as if no command had been given.
        """
        self.assert_refused("frobnicate", mentions=("frobnicate",))

    def test_no_subcommand(self):
        """No subcommand at all is refused, listing the commands."""
        self.assert_refused(mentions=("run",))

    def test_report_of_a_missing_file(self):
        """`lwsim report` of a file that does not exist is refused in one line naming the file."""
        result = e2e.run("report", "nowhere.h5", cwd=self.tmp)
        self.assertNotEqual(result.code, 0)
        self.assertEqual(len(e2e.stderr_lines(result)), 1, result.stderr)
        self.assertIn("nowhere.h5", result.stderr)

    def test_report_of_a_missing_file_is_bad_input(self):
        """`lwsim report` of a missing file is bad input: exit code 2 (docs/reliability.md).

        BUG: exits 1 ("anything else"); so does `lwsim report` of a file that is not HDF5.
        """
        self.assert_refused("report", "nowhere.h5", file="nowhere.h5")


class OutputPathErrors(BadInputCase):

    def test_output_in_a_missing_directory(self):
        """An output path in a directory that does not exist is refused; the directory is not created."""
        self.assert_refused("run", "--replicates", 10, "-o", "nodir/out.h5", file="nodir/out.h5", key="-o",
                            mentions=("nodir",))
        self.assertFalse(os.path.exists(self.path("nodir")))

    def test_output_path_is_a_directory(self):
        """An output path that is a directory is refused and the directory is left empty."""
        os.mkdir(self.path("adir"))
        self.assert_refused("run", "--replicates", 10, "-o", "adir", file="adir", key="-o",
                            mentions=("directory",))
        self.assertEqual(os.listdir(self.path("adir")), [])

    def test_output_in_a_read_only_directory(self):
        """An output path in a read-only directory (mode 0555) is refused before any work."""
        ro = self.path("readonly")
        os.mkdir(ro)
        os.chmod(ro, 0o555)
        self.addCleanup(os.chmod, ro, 0o755)
        probe = os.path.join(ro, "probe")
        try:
            with open(probe, "w"):
                pass
        except PermissionError:
            pass
        else:
            os.remove(probe)
            self.skipTest("this user (root?) can write in a mode-0555 directory; "
                          "see test_output_where_no_file_can_be_created")
        self.assert_refused("run", "--replicates", 10, "-o", "readonly/out.h5", file="readonly/out.h5",
                            key="-o")
        self.assertEqual(os.listdir(ro), [])

    def test_output_where_no_file_can_be_created(self):
        """An output path under /proc, where no file can be created (even by root), is refused."""
        for target in ("/proc/self/lwsim-e2e-out.h5", "/proc/lwsim-e2e-out.h5"):
            with self.subTest(target):
                self.assert_refused("run", "--replicates", 10, "-o", target, file=target, key="-o")
                for suffix in ("", ".part", ".tmp"):
                    self.assertFalse(os.path.exists(target + suffix))

    def test_existing_output_without_overwrite(self):
        """An existing output file is refused without --overwrite, and left untouched."""
        e2e.write_text(self.path(OUT), "precious")
        self.assert_refused("run", "--replicates", 10, "-o", OUT, file=OUT, key="-o", mentions=("--overwrite",),
                            existing=(OUT,))
        self.assertEqual(e2e.read_text(self.path(OUT)), "precious")

    def test_existing_output_with_overwrite_is_replaced(self):
        """The same command with --overwrite succeeds and replaces the file with an HDF5 file."""
        e2e.write_text(self.path(OUT), "precious")
        e2e.run_ok(self, "run", "--replicates", 10, "--quiet", "-o", OUT, "--overwrite", cwd=self.tmp)
        with open(self.path(OUT), "rb") as f:
            self.assertEqual(f.read(8), b"\x89HDF\r\n\x1a\n")
        self.assertEqual(sorted(os.listdir(self.tmp)), sorted(["observed", "scenario.toml", OUT]))

    def test_output_that_is_an_input_is_refused_even_with_overwrite(self):
        """`-o` naming the scenario (or its observed data) is refused with --overwrite too, and the
        input is left as it was."""
        observed = os.path.join("observed", "deep_end_2016.toml")
        before = e2e.read_text(self.path(observed))
        for target in ("scenario.toml", observed):
            with self.subTest(target):
                self.assert_refused("run", "scenario.toml", "--replicates", 10, "-o", target, "--overwrite",
                                    file=target, key="-o", mentions=("is the input",))
        self.assertEqual(e2e.read_text(self.scenario), self.original)
        self.assertEqual(e2e.read_text(self.path(observed)), before)

    def test_an_output_name_too_long_for_its_temporaries_is_refused_up_front(self):
        """A 253-byte file name cannot take the .part suffix of its temporary (255 bytes at most on
        common file systems): refused before any work, naming -o (it failed at the end)."""
        name = "x" * 250 + ".h5"
        self.assert_refused("run", "--replicates", 10, "-o", name, file=name, key="-o", mentions=("253 bytes",))

    def test_output_that_is_a_device_is_refused(self):
        """`-o /dev/null` (a device, even one this user may write) is refused: an output is a
        regular file."""
        self.assert_refused("run", "--replicates", 10, "-o", "/dev/null", "--overwrite", file="/dev/null",
                            key="-o", mentions=("not a regular file",))


SWEEP = ('base = "scenario.toml"\n[design]\nkind = "grid"\nreplicates = 5\n'
         '[parameters]\n"clp.departure_hazard" = [0.002, 0.01]\n')

CALIBRATION = """base = "scenario.toml"
observed = "observed/deep_end_2016.toml"
[abc]
particles = 60
replicates = 1
generations = 2
[distance]
fip_count = 1.0
"outcome.*" = 0.5
[priors]
"clp.departure_hazard" = { distribution = "log-uniform", min = 0.0005, max = 0.02 }
"""


class OptionValueErrors(BadInputCase):
    """Option values and settings that were accepted, or refused under the wrong name (issue 13)."""

    def test_non_finite_option_values_are_refused_naming_the_option(self):
        """--checkpoint-interval nan was accepted and turned checkpoints off: every non-finite value
        (nan, inf, one that overflows to inf) is refused, naming the option."""
        self.variant("sweep.toml", SWEEP)
        for value in ("nan", "NaN", "inf", "-inf", "1e999"):
            with self.subTest(value=value):
                self.assert_refused("sweep", "sweep.toml", "-o", OUT, "--checkpoint-interval", value,
                                    key="--checkpoint-interval", mentions=(value,))

    def test_too_many_threads_is_refused_naming_threads(self):
        """--threads 100000 is refused naming --threads (it blamed --replicates)."""
        self.variant("sweep.toml", SWEEP)
        for args in (("run", "--replicates", 10, "-o", OUT), ("sweep", "sweep.toml", "-o", OUT)):
            with self.subTest(command=args[0]):
                message = self.assert_refused(*args, "--threads", 100000, key="--threads")
                self.assertNotIn("--replicates", message)

    def assert_calibration_refused(self, text, key, mentions=(), line_text=None):
        name = self.variant("cal.toml", text)
        line = e2e.line_of(text, line_text or key)
        return self.assert_refused("calibrate", name, "-o", OUT, file=name, line=line, key=key, mentions=mentions)

    def test_too_few_particles_are_refused_with_the_range_that_holds(self):
        """particles = 0 and 1 are both refused saying "between 2 and 1000000" (0 said "between 1
        and", then 1 was refused as "at least 2")."""
        for particles in (0, 1, -3):
            with self.subTest(particles=particles):
                self.assert_calibration_refused(CALIBRATION.replace("particles = 60", f"particles = {particles}"),
                                                "particles", mentions=("between 2 and 1000000",))

    def test_max_attempts_below_the_particles_is_refused_up_front(self):
        """max_attempts below the particle count cannot make a first generation: refused at its line
        (it left a file with 0 generations)."""
        text = CALIBRATION.replace("generations = 2", "generations = 2\nmax_attempts = 10")
        self.assert_calibration_refused(text, "max_attempts", mentions=("10", "60"))

    def test_all_zero_distance_weights_are_refused_at_their_line(self):
        text = CALIBRATION.replace("fip_count = 1.0", "fip_count = 0.0").replace('"outcome.*" = 0.5',
                                                                                  '"outcome.*" = 0')
        self.assert_calibration_refused(text, "distance", mentions=("every weight",), line_text="[distance]")


class PointsFileErrors(BadInputCase):
    """The CSV design reader's messages name the column, the line and the key (issue 13)."""

    def points(self, data):
        with open(self.path("points.csv"), "wb") as f:
            f.write(data)
        self.variant("csv.toml", 'base = "scenario.toml"\n[design]\nkind = "csv"\nfile = "points.csv"\n'
                                 'replicates = 5\n')

    def test_a_byte_order_mark_is_not_part_of_the_first_name(self):
        """A spreadsheet's UTF-8 byte-order mark before the header is skipped: the file is read (it
        gave "unknown parameter; did you mean" the same name)."""
        self.points(b"\xef\xbb\xbfclp.departure_hazard,context.gp_buy_in_mean\n0.004,0.55\n")
        result = e2e.run("validate", "csv.toml", cwd=self.tmp)
        self.assertEqual(result.code, e2e.EXIT_OK, result.stderr)

    def test_an_empty_header_cell_names_its_column(self):
        self.points(b"clp.departure_hazard,,context.gp_buy_in_mean\n0.004,1,0.55\n")
        self.assert_refused("validate", "csv.toml", file="points.csv", line=1, key="column 2",
                            mentions=("empty",))

    def test_a_nul_byte_in_a_value_is_refused_naming_line_and_column(self):
        """A NUL byte inside a value (read as 0.1 before) is refused at its line and column."""
        self.points(b"clp.departure_hazard,context.gp_buy_in_mean\n0.004,0.55\n0.01,0.1\x009\n")
        self.assert_refused("validate", "csv.toml", file="points.csv", line=3, key="context.gp_buy_in_mean",
                            mentions=("column 2", "NUL"))


class MergeAttributeErrors(BadInputCase):
    """`merge` copies a shard's root attributes into its output: a bogus `replicates` is refused."""

    def test_a_bogus_replicates_attribute_is_refused_naming_file_and_attribute(self):
        import h5py
        import numpy
        self.variant("sweep.toml", SWEEP)
        e2e.run_ok(self, "sweep", "sweep.toml", "-o", "good.h5", "--quiet", cwd=self.tmp)
        for name, value in (("negative.h5", numpy.int64(-5)), ("huge.h5", numpy.int64(2 ** 62)),
                            ("array.h5", numpy.array([5, 5], dtype=numpy.int64))):
            with open(self.path("good.h5"), "rb") as source, open(self.path(name), "wb") as target:
                target.write(source.read())
            with h5py.File(self.path(name), "r+") as f:
                f.attrs["replicates"] = value
        for name in ("negative.h5", "huge.h5", "array.h5"):
            with self.subTest(shard=name):
                self.assert_refused("merge", name, "-o", OUT, file=name, key="replicates")


def peak_rss_bytes(*args, cwd=None, timeout=120):
    """Runs lwsim in a fresh Python process and returns (Result, the peak resident memory of lwsim in
    bytes), from getrusage(RUSAGE_CHILDREN) of a process whose only child is this lwsim."""
    script = (
        "import json, resource, subprocess, sys\n"
        "p = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, capture_output=True)\n"
        "print(json.dumps([p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace'),\n"
        "                  resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024]))\n")
    out = subprocess.run([sys.executable, "-c", script, e2e.LWSIM, *map(str, args)], cwd=cwd, capture_output=True,
                         text=True, timeout=timeout, check=True).stdout
    code, stdout, stderr, rss = json.loads(out)
    return e2e.Result(code, stdout, stderr), rss


def memory_bound(input_bytes):
    """A generous bound on lwsim's peak memory for reading `input_bytes` of input: a base for the
    program and its libraries, plus 16 bytes per input byte read (lwsim reads at most 16 MiB of a
    TOML file); sanitizer builds add their shadow memory and ASan's quarantine of freed memory."""
    read = min(input_bytes, 16 << 20)
    bound = (96 << 20) + 16 * read
    if os.environ.get("LWSIM_SANITIZE"):
        bound = 3 * bound + (256 << 20)
    return bound


class UntrustedTextTest(BadInputCase):
    """Odd bytes, huge values, deep nesting, bases that are not files, and huge files: refused in
    one clear line, in bounded memory."""

    def test_a_nul_byte_in_a_file_is_refused_at_its_line(self):
        name = self.edited("nul.toml", 'name = "Cyan"', 'name = "Cy\0an"')
        line = e2e.line_of(self.original, 'name = "Cyan"')
        self.assert_scenario_refused(name, file=name, line=line, mentions=("NUL",))

    def test_invalid_utf8_in_a_practice_name_is_refused_at_its_line(self):
        with open(self.path("latin1.toml"), "wb") as f:
            f.write(self.original.replace('name = "Cyan"', 'name = "Cy\xe4n"').encode("utf-8").replace(
                "Cy\xe4n".encode("utf-8"), b"Cy\xe4n"))
        line = e2e.line_of(self.original, 'name = "Cyan"')
        self.assert_scenario_refused("latin1.toml", file="latin1.toml", line=line, mentions=("UTF-8",))

    def test_control_characters_in_a_practice_name_are_refused_naming_the_key(self):
        for escape in ("\\u001b[2J", "\\u0000", "\\u0007", "\\b"):
            with self.subTest(escape=escape):
                name = self.edited("control.toml", 'name = "Cyan"', f'name = "Cy{escape}an"')
                line = e2e.line_of(self.original, 'name = "Cyan"')
                message = self.assert_scenario_refused(name, file=name, line=line, key="practice[2].name",
                                                       mentions=("control character",))
                self.assertNotIn("\x1b", message)

    def test_odd_bytes_in_paths_are_shown_escaped_and_stored_as_valid_utf8(self):
        """A scenario path with an escape sequence and an invalid UTF-8 byte: an error naming it shows
        them escaped (the terminal is not driven), the file runs, and the output's path attributes are
        valid UTF-8 that h5py reads as text."""
        odd = b"sc\x1b[31mred\xff.toml"
        missing = e2e.run("validate", os.fsdecode(b"no" + odd), cwd=self.tmp)
        self.assertEqual(missing.code, e2e.EXIT_BAD_INPUT)
        self.assertNotIn("\x1b", missing.stderr)
        self.assertIn("\\x1b[31mred\\xff.toml", missing.stderr)
        os.rename(self.scenario, os.path.join(os.fsencode(self.tmp), odd))
        out = os.fsdecode(b"out\x01\xfe.h5")
        # stdout names the output as given (bytes and all), so read it as bytes.
        ran = subprocess.run([e2e.LWSIM, "run", os.fsdecode(odd), "--replicates", "5", "-o", out, "--quiet"],
                             cwd=self.tmp, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
        self.assertEqual(ran.returncode, e2e.EXIT_OK, ran.stderr)
        import h5py
        with h5py.File(os.path.join(self.tmp, out), "r") as f:
            for attribute in ("scenario_file", "command_line"):
                value = f.attrs[attribute]  # fixed-length UTF-8: h5py gives bytes
                self.assertIsInstance(value, bytes, attribute)
                self.assertIn("\ufffd", value.decode("utf-8"))  # strict: fails on invalid UTF-8

    def test_a_ten_megabyte_string_is_refused_in_one_short_line_and_bounded_memory(self):
        big = "x" * (10 << 20)
        name = self.appended("long.toml", f'description = "{big}"\n'.replace("description", "title", 0))
        text = self.original.replace('title = "', f'title = "{big}', 1)
        e2e.write_text(self.path(name), text)
        line = e2e.line_of(self.original, 'title = "')
        result, rss = peak_rss_bytes("validate", name, cwd=self.tmp)
        self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, result.stderr[:2000])
        lines = e2e.stderr_lines(result)
        self.assertEqual(len(lines), 1)
        self.assertIn(f"{name}:{line}: title:", lines[0])
        self.assertIn("longer than the limit", lines[0])
        self.assertLess(len(lines[0]), 1000)
        self.assertLess(rss, memory_bound(len(text)), f"peak memory {rss} bytes")

    def test_deeply_nested_tables_and_keys_are_refused_in_bounded_memory(self):
        cases = {
            "arrays.toml": "a = " + "[" * 100000 + "]" * 100000 + "\n",
            "inline.toml": "a = " + "{b = " * 50000 + "1" + "}" * 50000 + "\n",
            "dotted.toml": ".".join(["k"] * 50000) + " = 1\n",
            "headers.toml": "[" + ".".join(["t"] * 50000) + "]\nx = 1\n",
        }
        for name, text in cases.items():
            with self.subTest(name):
                e2e.write_text(self.path(name), text)
                result, rss = peak_rss_bytes("validate", name, cwd=self.tmp)
                self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, result.stderr[:2000])
                self.assertEqual(len(e2e.stderr_lines(result)), 1)
                self.assertIn(f"{name}:1:", result.stderr)
                self.assertIn("nesting deeper than", result.stderr)
                self.assertLess(rss, memory_bound(len(text)), f"peak memory {rss} bytes")

    def test_bases_that_are_not_files_are_refused_without_reading_them(self):
        """A base that is a device, a pipe (which would never end) or a symbolic link to itself is
        refused at the `base` line; none is read."""
        os.mkfifo(self.path("pipe.toml"))
        os.symlink("loop.toml", self.path("loop.toml"))
        for base, words in (("/dev/zero", ("not a regular file",)), ("/dev/tty", ()),
                            ("pipe.toml", ("not a regular file",)), ("loop.toml", ())):
            with self.subTest(base=base):
                name = self.variant("child.toml", f'title = "child"\nbase = "{base}"\n')
                result = e2e.run("validate", name, cwd=self.tmp, timeout=30)
                self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, result.stderr)
                lines = e2e.stderr_lines(result)
                self.assertEqual(len(lines), 1, result.stderr)
                self.assertIn("child.toml:2: base:", lines[0])
                for word in words:
                    self.assertIn(word, lines[0])

    def test_a_huge_file_is_refused_at_the_size_limit_in_bounded_memory(self):
        """A 1 GB scenario file (sparse: it takes no disk) and a 100 MB one of valid TOML comments are
        refused after reading at most the 16 MiB limit."""
        with open(self.path("sparse.toml"), "wb") as f:
            f.truncate(1 << 30)
        with open(self.path("comments.toml"), "w") as f:
            line = "# " + "c" * 97 + "\n"
            for _ in range(1 << 20):
                f.write(line)
        for name, size in (("sparse.toml", 1 << 30), ("comments.toml", 100 << 20)):
            with self.subTest(name):
                result, rss = peak_rss_bytes("validate", name, cwd=self.tmp)
                self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, result.stderr)
                self.assertEqual(len(e2e.stderr_lines(result)), 1)
                self.assertIn(f"{name}: file is larger than the limit of 16777216 bytes", result.stderr)
                self.assertLess(rss, memory_bound(size), f"peak memory {rss} bytes")

    def test_points_files_that_are_devices_or_one_endless_line_are_refused_in_bounded_memory(self):
        e2e.write_text(self.path("endless.csv"), "clp.departure_hazard" + "x" * (50 << 20))
        for points, words in (("/dev/zero", ("not a regular file",)), ("endless.csv", ("longer than",))):
            with self.subTest(points=points):
                e2e.write_text(self.path("csv.toml"),
                               f'base = "scenario.toml"\n[design]\nkind = "csv"\nfile = "{points}"\n')
                result, rss = peak_rss_bytes("validate", "csv.toml", cwd=self.tmp)
                self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, result.stderr)
                self.assertEqual(len(e2e.stderr_lines(result)), 1)
                for word in words:
                    self.assertIn(word, result.stderr)
                self.assertLess(rss, memory_bound(1 << 20), f"peak memory {rss} bytes")


if __name__ == "__main__":
    unittest.main()
