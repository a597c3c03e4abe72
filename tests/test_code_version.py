"""The cache's key prefix (config/code_version.py): the digest of the portal's own source."""

from django.conf import settings

from config.code_version import source_digest


def package(root, name, files):
    (root / name).mkdir()
    (root / name / "__init__.py").write_text("")
    for path, text in files.items():
        (root / name / path).parent.mkdir(parents=True, exist_ok=True)
        (root / name / path).write_text(text)


def test_the_digest_changes_with_any_source_file_of_a_package_and_nothing_else(tmp_path):
    package(tmp_path, "scoring", {"engine.py": "A = 1\n", "metrics/rules.py": "B = 2\n"})
    (tmp_path / "notes").mkdir()  # not a package
    (tmp_path / "notes" / "x.py").write_text("")
    package(tmp_path, ".venv", {"site.py": ""})  # hidden: the virtual environment
    first = source_digest(tmp_path)
    assert source_digest(tmp_path) == first  # every process of one deploy agrees
    (tmp_path / "notes" / "x.py").write_text("changed = True\n")
    (tmp_path / ".venv" / "site.py").write_text("changed = True\n")
    (tmp_path / "scoring" / "README.md").write_text("文档")
    assert source_digest(tmp_path) == first
    (tmp_path / "scoring" / "metrics" / "rules.py").write_text("B = 3\n")  # a nested module
    assert source_digest(tmp_path) != first


def test_every_cache_key_is_prefixed_with_the_digest_of_this_code():
    assert settings.CACHES["default"]["KEY_PREFIX"] == source_digest(settings.BASE_DIR)
