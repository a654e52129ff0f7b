"""Speaker names folded into one speaker per person, in the graph too."""

from __future__ import annotations

import json

import quoteprov as qp
from quoteprov.speakers import name_key, same_speaker, speaker_aliases


def test_forms_of_one_name_fold_into_the_most_complete() -> None:
    names = ["Diaz-Canel", "Díaz-Canel", "Miguel Díaz-Canel", "Cuban President Miguel Diaz-Canel"]
    assert set(speaker_aliases(names).values()) == {"Miguel Díaz-Canel"}


def test_an_ambiguous_surname_stays_alone() -> None:
    aliases = speaker_aliases(["Hillary Clinton", "Bill Clinton", "Clinton", "Hillary Clinton"])
    assert aliases == {
        "Hillary Clinton": "Hillary Clinton",
        "Bill Clinton": "Bill Clinton",
        "Clinton": "Clinton",
    }


def test_descriptions_and_pronouns_are_not_names() -> None:
    assert name_key("the statement") == () and name_key("He") == ()
    assert speaker_aliases(["the statement", "a spokesperson"]) == {
        "the statement": "the statement",
        "a spokesperson": "a spokesperson",
    }
    assert not same_speaker("he", "she") and same_speaker("he", "He")


def test_seed_graph_has_one_speaker_node_for_diaz_canel(seeds: qp.Corpus) -> None:
    graph = qp.build_graph(seeds)
    nodes = [n for n, d in graph.nodes(data=True) if d["type"] == "speaker" and "canel" in n]
    assert nodes == ["speaker:miguel diaz-canel"]
    data = graph.nodes[nodes[0]]
    assert data["name"] == "Miguel Díaz-Canel"
    assert {"Diaz-Canel", "Díaz-Canel"} <= set(json.loads(data["aliases"]))
    assert all(graph.edges[nodes[0], q]["type"] == "said" for q in graph.successors(nodes[0]))


def test_a_sentence_adverb_is_no_part_of_a_name() -> None:
    assert name_key("Meanwhile Bob Lee") == name_key("Bob Lee") == ("bob", "lee")
    assert name_key("Then Senator Ruth Abara") == ("ruth", "abara")
    assert same_speaker("However Ruth Abara", "Ruth Abara")
    assert name_key("Still") == ("still",)  # a one-word name stays what it is
