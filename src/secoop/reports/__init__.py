"""Exports every app uses: one module per format, each putting the marking where that format
shows it on screen and on paper.

* `common`  MIME types, the generated-by stamp, and `Report` (bytes, file name, marking → the
            download response), so views never repeat Content-Type and Content-Disposition;
* `xlsx`    workbooks: a marking banner row first and last, the marking in every sheet's print
            header and footer, a frozen header row, column widths, no live formula;
* `docx`    Word documents: the marking in every section's header and footer, tables with column
            widths that fit the page (words never wrap letter by letter), a repeated header row;
* `pptx`    slides with a banner top and bottom;
* `pdf`     WeasyPrint from an HTML template; the template extends `reports/pdf_base.html`, which
            puts the marking in every page's header and footer;
* `ics`     calendars whose every event carries its marking.

An export is given records the caller read through the door; nothing here reads the database.
The banner colours live with the markings (`core.markings.banner_color`).
"""
