"""An operator's command-line helper: reads arguments and shells out."""
import argparse
import shlex
import socket
import ssl
import subprocess
import sys


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="ops helper")
    parser.add_argument("host")
    parser.add_argument("--user", default="deploy")
    return parser.parse_args()


def remote_uptime(args: argparse.Namespace) -> str:
    # The host name goes into a shell command unquoted.
    return subprocess.check_output("ssh %s@%s uptime" % (args.user, args.host), shell=True).decode()


def remote_disk(args: argparse.Namespace) -> str:
    # Quoted for the shell: not reported.
    host = shlex.quote(args.host)
    return subprocess.check_output("ssh deploy@" + host + " df -h", shell=True).decode()


def fetch_banner(host: str) -> bytes:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection((host, 443)) as raw:
        with context.wrap_socket(raw, server_hostname=host) as tls:
            return tls.recv(1024)


def main() -> None:
    args = parse()
    print(remote_uptime(args))
    print(remote_disk(args))
    print(fetch_banner(sys.argv[1]))


if __name__ == "__main__":
    main()
