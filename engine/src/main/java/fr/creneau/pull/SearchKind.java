package fr.creneau.pull;

/**
 * Which of the ANS guide's slot searches a vendor serves (the endpoints file's {@code search}).
 */
public enum SearchKind {
    /**
     * The individual practitioners' search (flux INT_R01): {@code GET [base]/Slot?_include=Slot:schedule&_include:iterate=Schedule:actor&start=ge…&start=le…&schedule.actor:Practitioner.identifier=…&status=free}.
     */
    PRACTITIONER,
    /**
     * The same search with the CPTS variant's includes,
     * {@code _include=Slot:service-type-reference&_include:iterate=HealthcareService:organization},
     * so the CPTS (HealthcareService and its Organization) that organise a slot come with it.
     * Answers are applied as {@link #PRACTITIONER}'s: the extra resources change no slot.
     */
    CPTS,
    /**
     * The SOS Médecins variant: a Schedule search by the associations' SIRET with
     * {@code _revinclude=Slot:schedule}
     * ({@code GET [base]/Schedule?_revinclude=Slot:schedule&_include=Schedule:actor:Location&_include:iterate=Location:organization&_has:Slot:schedule:start=ge…&_has:Slot:schedule:start=le…&_has:Slot:schedule:status=free&actor:Location.organization.identifier=urn:oid:1.2.250.1.71.4.2.2|3{SIRET},…}),
     * the SIRETs from the endpoint's {@code sirets}, 25 at a time. Its slots belong to an
     * association's fixed consultation point (a Location), not to a practitioner: the index,
     * whose unit is the practitioner, does not keep them yet; they are read and counted
     * (rejected) and replace nothing.
     */
    SOS_MEDECINS
}
