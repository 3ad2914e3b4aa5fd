from django import template

from prep.lib.timefmt import clock

register = template.Library()


register.filter(clock)


@register.filter
def get_item(mapping: dict | None, key: str):
    return (mapping or {}).get(key)
