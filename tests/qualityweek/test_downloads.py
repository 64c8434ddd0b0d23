from qualityweek import downloads


def test_download_name_drops_what_file_systems_refuse():
    assert downloads.download_name("Итоги: «Лидер/качества» 2023?\n", "ics") == (
        "Итоги «Лидер качества» 2023.ics"
    )
    assert downloads.download_name("../..", "pdf") == ""


def test_download_name_turns_control_characters_into_spaces():
    assert downloads.download_name("Брендбук\tНедели\x00качества", "pdf") == (
        "Брендбук Недели качества.pdf"
    )


def test_attachment_without_readable_name_gives_the_latin_one_only():
    assert downloads.attachment("material 7.pdf") == (
        'attachment; filename="material-7.pdf"'
    )


def test_attachment_with_readable_name_adds_rfc_6266_filename_star():
    assert downloads.attachment("material-7.pdf", "Знак качества.pdf") == (
        "attachment; filename=\"material-7.pdf\"; filename*=UTF-8''"
        "%D0%97%D0%BD%D0%B0%D0%BA%20%D0%BA%D0%B0%D1%87%D0%B5%D1%81%D1%82%D0%B2%D0%B0.pdf"
    )
