package fr.creneau.examples.data;

import java.util.SplittableRandom;

/**
 * Plausible, fictitious names: a common French first name and surname drawn independently
 * (among the most frequent at INSEE). No real practitioner is meant; surnames repeat, as they do.
 *
 * <p>Stateless and thread-safe.
 */
final class Names {
    private static final String[] FIRST = {
        "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Sophie", "Christine", "Valérie",
        "Sandrine", "Céline", "Stéphanie", "Julie", "Camille", "Laura", "Émilie", "Aurélie",
        "Claire", "Anne", "Élodie", "Caroline", "Pauline", "Manon", "Léa", "Chloé", "Inès",
        "Sarah", "Clara", "Lucie", "Mathilde", "Hélène", "Agnès", "Florence", "Virginie", "Karine",
        "Jean", "Pierre", "Michel", "Philippe", "Alain", "Nicolas", "Christophe", "Patrick",
        "Laurent", "Frédéric", "Éric", "David", "Stéphane", "Olivier", "Sébastien", "Julien",
        "Thomas", "Alexandre", "Antoine", "Maxime", "Guillaume", "François", "Vincent", "Benoît",
        "Mathieu", "Romain", "Hugo", "Lucas", "Karim", "Mehdi", "Yannick", "Thierry", "Bruno",
        "Fatima", "Amina", "Nadia", "Samir", "Youssef", "Jérôme", "Cédric", "Damien", "Arnaud",
    };
    private static final String[] LAST = {
        "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
        "Laurent", "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
        "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
        "Muller", "Lefèvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier",
        "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément",
        "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand",
        "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier",
        "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier",
        "Arnaud", "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin",
        "Vidal", "Caron", "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas",
        "Lacroix", "Olivier", "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc",
        "Payet", "Hoarau", "Grondin", "Rivière", "Fontaine", "Boyer", "Nguyen", "Benali", "Haddad",
        "Pagès", "Bouvier", "Vasseur", "Baron", "Carpentier", "Hubert", "Charpentier", "Deschamps",
    };

    private Names() {
    }

    /** "First Last", two {@code nextInt} draws. */
    static String draw(final SplittableRandom rng) {
        final String first = FIRST[rng.nextInt(FIRST.length)];
        final String last = LAST[rng.nextInt(LAST.length)];
        return first + ' ' + last;
    }
}
