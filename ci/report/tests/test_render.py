"""ci/report/render against small fixtures: the jobs, matrix, fuzz and model sections say what the
fixture holds, the SVG charts have one point per stats.tsv row, the HTML page needs nothing from
outside, and every missing input renders as "not run in this campaign" instead of failing."""
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = pathlib.Path(__file__).resolve().parent
RENDER = HERE.parent / "render"
FIXTURE = HERE / "fixture"
NOT_RUN = "not run in this campaign"


def render(folder, output, *options):
    result = subprocess.run([sys.executable, str(RENDER), str(folder), "--output", str(output), *options],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"render failed ({result.returncode}): {result.stderr}")
    return result.stdout, (output / "report.md").read_text(), (output / "report.html").read_text()


def section(markdown, title):
    return markdown.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def polyline_points(svg):
    return {name: len(points.split()) for name, points in
            re.findall(r'<polyline class="series" data-series="([^"]*)" points="([^"]*)"', svg)}


class FullCampaign(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.out = pathlib.Path(cls.tmp.name)
        cls.stdout, cls.md, cls.html = render(FIXTURE, cls.out)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_jobs_with_verdict_time_checks_and_log_link(self):
        jobs = section(self.md, "Jobs")
        self.assertIn("| unit | PASS | 12 s | 300 s | 130/130 tests, 0 sanitizer reports | [log](unit/job.log) |", jobs)
        self.assertIn("| unit-tsan | FAIL | 41 s |", jobs)
        self.assertIn("unit-tsan: ctest --preset tsan -R '^unit/fixture race$' --output-on-failure", jobs)
        self.assertIn("Overall verdict: FAIL (2 of 4 jobs passed)", self.md)
        self.assertIn("VERDICT: FAIL", self.stdout)
        self.assertIn('<a href="unit/job.log">log</a>', self.html)

    def test_matrix_of_this_campaign(self):
        matrix = section(self.md, "Planted-bug matrix")
        self.assertIn("in this campaign", matrix)
        self.assertIn("| 30-fixture-bug | a fixture bug | caught 1.2 s | missed |", matrix)
        self.assertIn('<td class="caught">caught 1.2 s</td>', self.html)

    def test_fuzz_charts_have_one_point_per_row(self):
        fuzz = section(self.md, "Fuzzing")
        self.assertIn("2 targets, 3300 executions, cov 230, 1 unique crashes", fuzz)
        self.assertIn("![fuzz-coverage.svg](fuzz-coverage.svg)", fuzz)
        self.assertIn("91.67%", fuzz)
        self.assertIn("| target | verdict | seconds | execs | exec_per_s | cov | ft | corpus_before | corpus_after |"
                      " failure_inputs | unique_crashes | exit_status |", fuzz)
        self.assertIn("| lifecycle | FAIL | 15.0 | 1500 |", fuzz)
        self.assertIn("Replay each crash with:\n\n```\nbuild/fuzz/fuzz/fuzz_replay lifecycle fixture/crash-1\n```", fuzz)
        self.assertIn("[coverage-html/index.html](fuzz/coverage-html/index.html)", fuzz)
        for chart in ("fuzz-coverage.svg", "fuzz-executions.svg"):
            svg = (self.out / chart).read_text()
            self.assertEqual(polyline_points(svg), {"ops": 4, "lifecycle": 3}, chart)
            self.assertIn(svg, self.html)

    def test_html_is_self_contained(self):
        self.assertEqual(self.html.count("<svg"), 2)
        outside = re.findall(r'(?:src|href)="(?:https?:)?//', self.html) + re.findall(r"<script|<link", self.html)
        self.assertEqual(outside, [])

    def test_appended_summary_names_the_charts(self):
        summary = self.out / "summary.md"
        summary.write_text("earlier step\n")
        render(FIXTURE, self.out / "again", "--append-to", str(summary))
        text = summary.read_text()
        self.assertTrue(text.startswith("earlier step\n# connmgr campaign report"))
        self.assertIn("Plot: fuzz-coverage.svg and report.html in the artifacts.", text)
        self.assertNotIn("![", text)

    def test_missing_models_say_not_run(self):
        self.assertEqual(section(self.md, "Model checking").strip(), NOT_RUN)


class PartialCampaigns(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = pathlib.Path(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def test_empty_folder_renders_every_section_as_not_run(self):
        (self.root / "run").mkdir()
        stdout, md, html = render(self.root / "run", self.root / "out")
        for title in ("Jobs", "Fuzzing", "Model checking"):
            self.assertEqual(section(md, title).strip(), NOT_RUN, title)
        self.assertIn(f"The mutants job was {NOT_RUN}", section(md, "Planted-bug matrix"))
        self.assertIn("VERDICT: no jobs", stdout)
        self.assertNotIn("<svg", html)

    def test_model_results_are_counted(self):
        models = self.root / "run" / "models"
        models.mkdir(parents=True)
        lines = [{"key": "a", "scenario": "register_cancel", "scheduler": "bound", "bound": 2, "seconds": 1.5,
                  "iterations_explored": 1200, "result": "ok"},
                 {"key": "b", "scenario": "stop_dial", "scheduler": "bound", "bound": 2, "seconds": 0.2,
                  "iterations_explored": 30, "result": "DATA RACE", "replay": "connmgr_models stop_dial"},
                 {"key": "c", "scenario": "retry", "scheduler": "random", "iterations": 5000, "seconds": 9.0,
                  "iterations_explored": 10, "result": "timeout (budget exhausted)"}]
        (models / "results.jsonl").write_text("\n".join(json.dumps(line) for line in lines) + "\nnot json\n")
        _, md, _ = render(self.root / "run", self.root / "out")
        models_section = section(md, "Model checking")
        self.assertIn("3 model runs: 1 passed, 1 failed, 1 incomplete; 1240 iterations explored", models_section)
        self.assertIn("| b | stop_dial | bound | 2 | 0.2 | 30 | DATA RACE | connmgr_models stop_dial |", models_section)

    def test_garbled_inputs_do_not_crash(self):
        run = self.root / "run"
        shutil.copytree(FIXTURE / "fuzz", run / "fuzz")
        (run / "fuzz" / "summary.json").write_text("{ not json")
        (run / "fuzz" / "stats.tsv").write_text("seconds\ttarget\n\x00garbage\n")
        (run / "fuzz" / "verdict.json").write_text("[]")
        _, md, _ = render(run, self.root / "out")
        self.assertEqual(section(md, "Jobs").strip(), NOT_RUN)
        self.assertIn("91.67%", section(md, "Fuzzing"))
        self.assertIn(f"Coverage and executions over time: {NOT_RUN}", section(md, "Fuzzing"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
