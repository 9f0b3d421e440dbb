"""What a mature feed reader reads from feed files: for each file named,
its entries' titles (as plain text), dates (seconds since the epoch, or
null) and links, as JSON. RSS and Atom are read by feedparser; JSON Feed,
which feedparser does not read, by its own fields. tests/api/feed_reading.rs
compares Chorus's reading with this."""

import calendar
import datetime
import html.parser
import json
import sys

import feedparser


class Words(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.words = []

    def handle_data(self, data):
        self.words.append(data)


def plain(value, kind):
    if kind in ("text/html", "application/xhtml+xml"):
        words = Words()
        words.feed(value)
        words.close()
        value = "".join(words.words)
    return " ".join(value.split())


def entry(item):
    when = item.get("published_parsed") or item.get("updated_parsed")
    kind = (item.get("title_detail") or {}).get("type", "text/plain")
    return {
        "title": plain(item.get("title", ""), kind),
        "date": calendar.timegm(when) if when else None,
        "link": item.get("link"),
    }


def json_feed_item(item):
    when = item.get("date_published") or item.get("date_modified")
    return {
        "title": " ".join(item.get("title", "").split()),
        "date": int(datetime.datetime.fromisoformat(when).timestamp()) if when else None,
        "link": item.get("url"),
    }


def read(path):
    if path.endswith(".json"):
        with open(path, encoding="utf-8") as file:
            return [json_feed_item(item) for item in json.load(file)["items"]]
    return [entry(item) for item in feedparser.parse(path).entries]


print(json.dumps({path: read(path) for path in sys.argv[1:]}, indent=1))
