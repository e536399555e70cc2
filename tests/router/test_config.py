"""RouterConfig: TOML file, environment variables, precedence and the error messages for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from gorilla_router.config import RouterConfig, find_config_file
from gorilla_router.errors import ConfigError


@pytest.fixture
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder with an empty XDG config home, so no real config file leaks in."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("GORILLA_ROUTER_CONFIG", raising=False)
    return tmp_path


def test_defaults_without_file_or_environment(no_user_config: Path) -> None:
    config = RouterConfig.load(environ={"XDG_CONFIG_HOME": str(no_user_config / "xdg")})
    assert config.backend == "embedded"
    assert config.top_k == 5
    assert config.zoo == []
    assert config.dry_run is False
    assert config.source == "defaults"


def test_toml_file_then_environment_then_arguments(no_user_config: Path) -> None:
    file = no_user_config / "router.toml"
    file.write_text(
        'backend = "test"\ntop_k = 3\nallow = ["math.*"]\n'
        '[base_url_overrides]\nuber = "http://127.0.0.1:9000/"\n',
        encoding="utf-8",
    )
    env = {"GORILLA_ROUTER_TOP_K": "7", "GORILLA_ROUTER_DRY_RUN": "yes"}
    config = RouterConfig.load(file, environ=env, allow_private=["127.0.0.1"])
    assert config.backend == "test"  # from the file
    assert config.top_k == 7  # the environment beats the file
    assert config.dry_run is True
    assert config.allow == ["math.*"]
    assert config.allow_private == ["127.0.0.1"]  # arguments on top
    assert config.base_url_overrides == {"uber": "http://127.0.0.1:9000"}  # trailing slash dropped
    assert str(file) in config.source
    assert "GORILLA_ROUTER_TOP_K" in config.source
    assert "arguments" in config.source


def test_environment_lists_and_pairs(no_user_config: Path) -> None:
    env = {
        "GORILLA_ROUTER_ALLOW": "uber.eat.*, math.*",
        "GORILLA_ROUTER_BASE_URL_OVERRIDES": "uber=http://127.0.0.1:8080,github.repos.get=https://gh.local",
        "GORILLA_ROUTER_CHROMA_HOST": "10.0.0.5",
        "GORILLA_ROUTER_CHROMA_PORT": "8001",
        "GORILLA_ROUTER_ZOO": f"{no_user_config / 'a'},{no_user_config / 'b'}",
        "GORILLA_ROUTER_ASSUME_YES": "1",
    }
    config = RouterConfig.load(environ=env)
    assert config.allow == ["uber.eat.*", "math.*"]
    assert config.base_url_overrides["github.repos.get"] == "https://gh.local"
    assert (config.chroma_host, config.chroma_port) == ("10.0.0.5", 8001)
    assert config.zoo == [no_user_config / "a", no_user_config / "b"]
    assert config.assume_yes is True


def test_config_file_found_by_variable_project_and_user(no_user_config: Path, monkeypatch) -> None:
    user = no_user_config / "xdg" / "gorilla_router" / "config.toml"
    user.parent.mkdir(parents=True)
    user.write_text('backend = "openai:gpt-4o-mini"\n', encoding="utf-8")
    assert find_config_file({"XDG_CONFIG_HOME": str(no_user_config / "xdg")}) == user
    project = no_user_config / "gorilla_router.toml"
    project.write_text('backend = "test"\n', encoding="utf-8")
    assert find_config_file({"XDG_CONFIG_HOME": str(no_user_config / "xdg")}) == project
    named = no_user_config / "named.toml"
    named.write_text("top_k = 2\n", encoding="utf-8")
    monkeypatch.setenv("GORILLA_ROUTER_CONFIG", str(named))
    assert RouterConfig.load().top_k == 2


def test_relative_zoo_paths_are_relative_to_the_file(no_user_config: Path) -> None:
    folder = no_user_config / "conf"
    folder.mkdir()
    (folder / "r.toml").write_text('zoo = "../myzoo"\n', encoding="utf-8")
    config = RouterConfig.load(folder / "r.toml", environ={})
    assert config.zoo == [(no_user_config / "myzoo").resolve()]


def test_unknown_key_suggests_the_right_one(no_user_config: Path) -> None:
    file = no_user_config / "r.toml"
    file.write_text("top_kk = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown configuration key .*'top_kk'.*did you mean 'top_k'"):
        RouterConfig.load(file, environ={})
    with pytest.raises(ConfigError, match="did you mean 'dry_run'"):
        RouterConfig.load(environ={}, dryrun=True)


def test_bad_values_name_the_variable(no_user_config: Path) -> None:
    with pytest.raises(ConfigError, match=r"top_k.*GORILLA_ROUTER_TOP_K"):
        RouterConfig.load(environ={"GORILLA_ROUTER_TOP_K": "many"})
    with pytest.raises(ConfigError, match="expected 'name=url' pairs"):
        RouterConfig.load(environ={"GORILLA_ROUTER_BASE_URL_OVERRIDES": "uber"})
    with pytest.raises(ConfigError, match=r"must start with http"):
        RouterConfig.load(environ={"GORILLA_ROUTER_BASE_URL_OVERRIDES": "uber=ftp://x"})


def test_missing_or_broken_files_are_clear(no_user_config: Path, monkeypatch) -> None:
    monkeypatch.setenv("GORILLA_ROUTER_CONFIG", str(no_user_config / "nope.toml"))
    with pytest.raises(
        ConfigError, match=r"GORILLA_ROUTER_CONFIG=.*nope.toml does not name an existing file"
    ):
        RouterConfig.load()
    broken = no_user_config / "broken.toml"
    broken.write_text("top_k = = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot read config file"):
        RouterConfig.load(broken, environ={})
    with pytest.raises(ConfigError, match="does not exist"):
        RouterConfig.load(no_user_config / "absent.toml", environ={})
