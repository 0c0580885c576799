export PIP_REQUIRE_VIRTUALENV=true PIP_DISABLE_PIP_VERSION_CHECK=1
{% if env.uv or deps.uv_lock -%}
test -f .pybootstrap-tools/uv/.pybootstrap-complete || { rm -rf .pybootstrap-tools/uv && python -m venv .pybootstrap-tools/uv && .pybootstrap-tools/uv/bin/python -m pip install --quiet uv && touch .pybootstrap-tools/uv/.pybootstrap-complete; } || exit 1
export PATH="$PATH:$PWD/.pybootstrap-tools/uv/bin"
{% elif env.virtualenv -%}
test -f .pybootstrap-tools/virtualenv/.pybootstrap-complete || { rm -rf .pybootstrap-tools/virtualenv && python -m venv .pybootstrap-tools/virtualenv && .pybootstrap-tools/virtualenv/bin/python -m pip install --quiet virtualenv && touch .pybootstrap-tools/virtualenv/.pybootstrap-complete; } || exit 1
export PATH="$PATH:$PWD/.pybootstrap-tools/virtualenv/bin"
{% endif -%}
{% if deps.poetry or deps.pdm -%}
test -f .pybootstrap-tools/{{ deps.tool }}/.pybootstrap-complete || { rm -rf .pybootstrap-tools/{{ deps.tool }} && python -m venv .pybootstrap-tools/{{ deps.tool }} && .pybootstrap-tools/{{ deps.tool }}/bin/python -m pip install --quiet {{ deps.tool }}=={{ deps.tool_version }}{% for requirement in deps.tool_constraints %} {{ requirement | sh }}{% endfor %} && touch .pybootstrap-tools/{{ deps.tool }}/.pybootstrap-complete; } || exit 1
export PATH="$PATH:$PWD/.pybootstrap-tools/{{ deps.tool }}/bin"
{% endif -%}
ENV_DIR={{ env.dir | sh }}
{% if env.uv -%}
uv venv --python "$(command -v python)" -- "$ENV_DIR"
{% elif env.virtualenv -%}
virtualenv --python "$(command -v python)" -- "$ENV_DIR"
{% else -%}
python -m venv -- "$ENV_DIR"
{% endif -%}
{% if deps.groups and env.has_pip and not deps.tool -%}
"$ENV_DIR/bin/python" -m pip install --quiet --upgrade 'pip>=25.1'
{% endif -%}
{% if deps.uv_lock -%}
UV_PROJECT_ENVIRONMENT="$ENV_DIR" uv sync --locked --python "$ENV_DIR/bin/python"{% for extra in deps.extras %} --extra {{ extra | sh }}{% endfor %}{% for group in deps.groups %} --group {{ group | sh }}{% endfor %}
{% elif deps.poetry -%}
VIRTUAL_ENV="$PWD/$ENV_DIR" poetry install --no-interaction{% for group in deps.groups %} --with {{ group | sh }}{% endfor %}{% for extra in deps.extras %} --extras {{ extra | sh }}{% endfor %}
{% elif deps.pdm -%}
PDM_PYTHON="$PWD/$ENV_DIR/bin/python" PDM_CHECK_UPDATE=false pdm sync{% for group in deps.groups %} -G {{ group | sh }}{% endfor %}{% for extra in deps.extras %} -G {{ extra | sh }}{% endfor %}
{% elif deps.editable -%}
{% if env.uv -%}
uv pip install --python "$ENV_DIR/bin/python" {{ deps.project_requirement | sh }}{% for group in deps.groups %} --group {{ group | sh }}{% endfor %}
{% else -%}
"$ENV_DIR/bin/python" -m pip install {{ deps.project_requirement | sh }}{% for group in deps.groups %} --group {{ group | sh }}{% endfor %}
{% endif -%}
{% elif deps.requirements and deps.files -%}
{% if env.uv -%}
uv pip install --python "$ENV_DIR/bin/python"{% for file in deps.files %} --requirement {{ file | sh }}{% endfor %}
{% else -%}
"$ENV_DIR/bin/python" -m pip install{% for file in deps.files %} --requirement {{ file | sh }}{% endfor %}
{% endif -%}
{% endif -%}
VIRTUAL_ENV="$PWD/$ENV_DIR"
export VIRTUAL_ENV PATH="$VIRTUAL_ENV/bin:$PATH"
{{ tasks.test | line }}
{#- The shell steps every CI snippet runs: make the environment, install into it, test.
    Nothing is installed into the runner's own Python. The tools go in the work tree, never
    a host path a shared runner would give every job; a tool dir without its marker (written
    last) is what an interrupted run left, so it is made again. #}
