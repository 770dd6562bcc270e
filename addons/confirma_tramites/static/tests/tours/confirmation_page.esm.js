/* Copyright 2026 Confirm@ contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

// A resident opens the link of their letter, gives their birth date,
// confirms and lands on the receipt. The test opens the case's own link.
registry.category("web_tour.tours").add("confirma_confirmation_page", {
    steps: () => [
        {
            content: "Nothing personal before the second factor",
            trigger: "h1:contains('birth date')",
        },
        {
            content: "Give the birth date: day",
            trigger: "input#confirma_birth_day",
            run: "edit 15",
        },
        {
            content: "month",
            trigger: "input#confirma_birth_month",
            run: "edit 6",
        },
        {
            content: "and year",
            trigger: "input#confirma_birth_year",
            run: "edit 1959",
        },
        {
            content: "Continue",
            trigger: "button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The offer says why the resident qualifies",
            trigger: "h2:contains('Why you qualify')",
        },
        {
            content: "Confirm",
            trigger: "button[name=answer][value=confirm]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The receipt, with the code and the PDF",
            trigger: "h1:contains('Confirmed') ~ p a, a[href*='/receipt']",
        },
    ],
});
