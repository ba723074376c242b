#!/usr/bin/env bash
# Runs all tests: installs the programs the tests need when they are missing (with apt-get, on Debian/Ubuntu),
# then runs `mvn -B verify` with this script's arguments (./test.sh -pl breaker-core, ./test.sh -Dtest=...).
# When it cannot install (no apt-get, as on macOS), it says what is missing and how to get it, and runs Maven
# anyway: a test that needs a missing program fails and says so; it never skips. Written for bash 3.2 too (macOS).
set -euo pipefail
cd "$(dirname "$0")"

# The programs the tests need, in one place. One line per program:
#   need <command[|other name]> <Debian package> <variable that points the tests at it> <how to get it elsewhere>
# When no name is on the PATH and the variable is unset, the package is installed.
required_programs() {
    need "chromium|chromium-browser|google-chrome" chromium BREAKER_TEST_CHROME \
        "macOS: brew install --cask google-chrome; Ubuntu: sudo snap install chromium"
    need "chromedriver|chromium.chromedriver" chromium-driver BREAKER_TEST_CHROMEDRIVER \
        "macOS: brew install --cask chromedriver; Ubuntu: sudo snap install chromium"
    need redis-server redis-server BREAKER_TEST_REDIS_SERVER \
        "macOS: brew install redis; Ubuntu: sudo apt-get install redis-server"
    need prometheus prometheus BREAKER_TEST_PROMETHEUS \
        "macOS: brew install prometheus; Ubuntu: sudo apt-get install prometheus"
    need promtool prometheus BREAKER_TEST_PROMTOOL \
        "macOS: brew install prometheus; Ubuntu: sudo apt-get install prometheus"
}

missing_packages=""
missing_hints=""

need() {
    local names=$1 package=$2 variable=$3 elsewhere=$4 name
    if [ -n "${!variable:-}" ]; then
        return 0
    fi
    local IFS='|'
    for name in $names; do
        if command -v "$name" >/dev/null 2>&1; then
            return 0
        fi
    done
    name=${names%%|*}
    case " $missing_packages " in
        *" $package "*) ;; # one package can provide two programs (prometheus and promtool)
        *) missing_packages="$missing_packages $package" ;;
    esac
    missing_hints="$missing_hints
test.sh:   $name (Debian package $package): $elsewhere; or export $variable=/path/to/$name"
}

# Installs the missing packages with apt-get, as root or through sudo; says why and fails when it cannot.
install_missing() {
    local sudo=""
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "test.sh: there is no apt-get to install$missing_packages." >&2
        return 1
    fi
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "test.sh: installing$missing_packages needs root or sudo." >&2
            return 1
        fi
        sudo=sudo
    fi
    echo "test.sh: installing$missing_packages with apt-get"
    # $missing_packages and $sudo unquoted on purpose: a list of package names, and an optional command.
    # shellcheck disable=SC2086
    if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q \
        || ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing_packages; then
        echo "test.sh: apt-get could not install$missing_packages." >&2
        return 1
    fi
}

required_programs
if [ -n "$missing_packages" ] && ! install_missing; then
    echo "test.sh: the tests also look in the usual places; finding nothing, they fail and say how to get" \
        "it:$missing_hints" >&2
fi

exec mvn -B verify "$@"
