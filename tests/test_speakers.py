"""Speaker names folded into one speaker per person, in the graph too."""

from __future__ import annotations

import json

from conftest import MakeCorpus

import quoteprov as qp
from quoteprov.text._speakers import name_key, names_someone, same_speaker, speaker_aliases


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


def test_seed_graph_has_one_speaker_node_for_diaz_canel(corpus: qp.Corpus) -> None:
    graph = qp.build_graph(corpus)
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


def test_names_someone() -> None:
    assert names_someone("Ursula von der Leyen") and names_someone("Zhao Lijian")
    assert not names_someone("The official") and not names_someone("this ministry")
    assert not names_someone("a spokesperson for the North Korean Foreign Ministry")
    assert not names_someone("she")


def test_a_name_in_capitals_is_shown_only_when_there_is_no_other() -> None:
    aliases = speaker_aliases(["ANA RUIZ-PEREZ", "Ana Ruiz-Perez"])
    assert set(aliases.values()) == {"Ana Ruiz-Perez"}
    assert speaker_aliases(["BO LIND"]) == {"BO LIND": "BO LIND"}


def test_a_hyphen_or_a_space_between_the_parts_of_a_name_is_one_speaker() -> None:
    aliases = speaker_aliases(["Ana Ruiz-Perez", "Ana Ruiz Perez", "Ruiz-Perez"])
    assert set(aliases.values()) == {"Ana Ruiz-Perez"}
    assert same_speaker("Ana Ruiz Perez", "Ruiz-Perez")
    clintons = speaker_aliases(["Hillary Clinton", "Bill Clinton", "Clinton"])
    assert clintons["Clinton"] == "Clinton" and clintons["Bill Clinton"] == "Bill Clinton"


def test_the_quote_node_names_its_speaker_as_its_speaker_node_does(make_corpus: MakeCorpus) -> None:
    texts = [
        '"Masks will be optional in schools from the autumn term," Nadia Okoro said.',
        '"Masks will be optional in schools from the autumn term," Okoro said.',
        'Okoro said on Tuesday: "Masks will be optional in schools from the autumn term."',
    ]
    corpus = make_corpus(
        [{"id": f"d{k}", "text": t, "published": f"2024-06-0{3 - k}"} for k, t in enumerate(texts)]
    )
    graph = qp.build_graph(corpus)
    quotes = [(n, d) for n, d in graph.nodes(data=True) if d["type"] == "quote"]
    assert len(quotes) == 1
    node, data = quotes[0]
    assert data["speaker"] == "Nadia Okoro"
    assert list(graph.predecessors(node)) == ["speaker:nadia okoro"]


def test_descriptions_give_no_speaker_node_and_merge_no_strangers(make_corpus: MakeCorpus) -> None:
    texts = [
        '"We have no plans to sell the northern rail line this decade," the official said.',
        '"The ferry to the islands will run twice a day from June," the official said.',
        '"Our members will vote on the offer next week," a spokesperson said.',
        '"The museum will close for repairs all winter," Lena Holm said.',
    ]
    corpus = make_corpus([{"id": f"d{k}", "text": t} for k, t in enumerate(texts)])
    graph = qp.build_graph(corpus)
    speakers = [n for n, d in graph.nodes(data=True) if d["type"] == "speaker"]
    assert speakers == ["speaker:lena holm"]
    said = [(u, v) for u, v, d in graph.edges(data=True) if d["type"] == "said"]
    assert len(said) == 1
    # the quote node keeps the description
    kept = {d.get("speaker") for _, d in graph.nodes(data=True) if d["type"] == "quote"}
    assert {"the official", "a spokesperson"} <= kept
