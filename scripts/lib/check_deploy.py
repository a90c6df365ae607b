"""Checks what no published schema covers in the deploy files (scripts/check-deploy):

- deploy/kong/kong.yml has the structure Kong's DB-less format requires: `_format_version`, every
  service with a name and an http(s) URL, names unique, every route with paths or headers and
  known methods, every plugin one Kong ships with a mapping `config`, and every plugin's
  `service`/`route` naming one that exists;
- docker-compose.yml and kong.yml agree: every upstream Kong names is a compose service,
  `EMPORIUM_TRUSTED_PROXIES` is Kong's address, every Emporium container runs the one image with
  `serve <service>`, and every service has a health check (compose waits on them).
"""
import ipaddress
import sys
import urllib.parse

import yaml

KONG_PLUGINS = {"correlation-id", "cors", "request-size-limiting", "rate-limiting", "request-termination", "ip-restriction",
                "bot-detection", "proxy-cache", "prometheus", "request-transformer", "response-transformer", "acl", "jwt"}
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"}
problems = []


def problem(text):
    problems.append(text)


def check_kong(path):
    with open(path) as handle:
        kong = yaml.safe_load(handle)
    if str(kong.get("_format_version")) not in {"3.0", "2.1"}:
        problem(f"{path}: _format_version must be 3.0")
    services, routes = {}, {}
    for service in kong.get("services") or []:
        name = service.get("name")
        if not name or name in services:
            problem(f"{path}: a service without a name, or a second '{name}'")
        url = urllib.parse.urlparse(service.get("url", ""))
        if url.scheme not in {"http", "https"} or not url.hostname:
            problem(f"{path}: service '{name}' has no http(s) url")
        services[name] = url.hostname
        for route in service.get("routes") or []:
            route_name = route.get("name")
            if not route_name or route_name in routes:
                problem(f"{path}: a route of '{name}' without a name, or a second '{route_name}'")
            routes[route_name] = name
            if not route.get("paths") and not route.get("headers") and not route.get("hosts"):
                problem(f"{path}: route '{route_name}' matches nothing (no paths, hosts or headers)")
            for route_path in route.get("paths") or []:
                if not str(route_path).startswith("/"):
                    problem(f"{path}: route '{route_name}' path '{route_path}' does not start with /")
            unknown = set(route.get("methods") or []) - METHODS
            if unknown:
                problem(f"{path}: route '{route_name}' has unknown methods {sorted(unknown)}")
            for plugin in route.get("plugins") or []:
                check_plugin(path, plugin, f"route '{route_name}'")
        for plugin in service.get("plugins") or []:
            check_plugin(path, plugin, f"service '{name}'")
    for plugin in kong.get("plugins") or []:
        check_plugin(path, plugin, "global")
        if "service" in plugin and plugin["service"] not in services:
            problem(f"{path}: plugin {plugin.get('name')} names service '{plugin['service']}', which does not exist")
        if "route" in plugin and plugin["route"] not in routes:
            problem(f"{path}: plugin {plugin.get('name')} names route '{plugin['route']}', which does not exist")
    return services


def check_plugin(path, plugin, where):
    name = plugin.get("name")
    if name not in KONG_PLUGINS:
        problem(f"{path}: {where}: '{name}' is not a plugin Kong ships")
    if not isinstance(plugin.get("config", {}), dict):
        problem(f"{path}: {where}: plugin '{name}' config is not a mapping")
    if name == "rate-limiting":
        config = plugin.get("config") or {}
        if config.get("policy") == "redis" and not (config.get("redis") or {}).get("host"):
            problem(f"{path}: {where}: rate-limiting on redis without redis.host")


def check_compose(path, upstreams):
    with open(path) as handle:
        compose = yaml.safe_load(handle)
    services = compose.get("services") or {}
    for name, host in upstreams.items():
        if host not in services:
            problem(f"{path}: Kong's service '{name}' goes to '{host}', which compose does not run")
    kong = services.get("kong") or {}
    address = ((kong.get("networks") or {}).get("emporium") or {}).get("ipv4_address")
    images = set()
    for name, service in services.items():
        if "healthcheck" not in service:
            problem(f"{path}: service '{name}' has no healthcheck (compose up --wait and depends_on need one)")
        command = service.get("command") or []
        if command[:1] == ["serve"]:
            images.add(service.get("image"))
            if len(command) != 2:
                problem(f"{path}: service '{name}' must run `serve <service>`")
            proxies = (service.get("environment") or {}).get("EMPORIUM_TRUSTED_PROXIES")
            if proxies != address:
                problem(f"{path}: service '{name}' trusts proxies '{proxies}', but Kong is at '{address}'")
    if len(images) != 1:
        problem(f"{path}: the Emporium services run different images: {sorted(map(str, images))}")
    if address:
        ipaddress.ip_address(address)


upstreams = check_kong(sys.argv[1])
check_compose(sys.argv[2], upstreams)
for text in problems:
    print(f"check-deploy: {text}", file=sys.stderr)
sys.exit(1 if problems else 0)
